/**
 * Where people live and how they can be reached: cities per country (with the letters and
 * punctuation that trip up exports: 's-Hertogenbosch, Ærøskøbing, Łódź, Reggio nell'Emilia), phone
 * number layouts as people actually type them (spaces, dashes, parentheses, the Dutch "(0)"), and
 * the mail providers of each country.
 */

/** A country people in the dataset live in. */
export interface Country {
  readonly name: string
  readonly cities: readonly string[]
  /** Layouts of a personal mobile number; every `#` becomes a digit. */
  readonly phones: readonly string[]
  /** Mail providers local to the country, used next to the international ones. */
  readonly mail: readonly string[]
}

const list = (text: string): readonly string[] => text.split(',').map((s) => s.trim())

const COUNTRY_LIST: readonly Country[] = [
  {
    name: 'Netherlands',
    cities: list(
      "Amsterdam, Rotterdam, Den Haag, Utrecht, Eindhoven, Groningen, Tilburg, Almere, Breda, Nijmegen, 's-Hertogenbosch, " +
        'Haarlem, Arnhem, Zwolle, Leiden, Delft, Amersfoort, Alphen aan den Rijn, Leeuwarden, Maastricht, Enschede, ' +
        'Venlo, Bergen op Zoom, Zaandam, Hilversum',
    ),
    phones: list('+31 6 ########, +31 (0)6-########, +31 6 #### ####, +316########, 0031 6 ## ## ## ##'),
    mail: list('ziggo.nl, kpnmail.nl, live.nl, xs4all.nl, planet.nl'),
  },
  {
    name: 'Belgium',
    cities: list('Antwerpen, Gent, Brussel, Leuven, Liège, Brugge, Mechelen, Hasselt, Namur, Mons'),
    phones: list('+32 47# ## ## ##, +32 (0)49# ## ## ##, +32 48#/##.##.##'),
    mail: list('telenet.be, skynet.be, proximus.be'),
  },
  {
    name: 'Germany',
    cities: list(
      'Berlin, Hamburg, München, Köln, Düsseldorf, Münster, Aachen, Osnabrück, Frankfurt am Main, Mönchengladbach, ' +
        'Essen, Duisburg, Bielefeld',
    ),
    phones: list('+49 15# ########, +49 (0)17# #######, +49-160-#######'),
    mail: list('gmx.de, web.de, t-online.de'),
  },
  {
    name: 'France',
    cities: list('Paris, Lille, Lyon, Besançon, Orléans, Nîmes, Saint-Étienne, Reims, Strasbourg'),
    phones: list('+33 6 ## ## ## ##, +33 (0)7 ## ## ## ##'),
    mail: list('orange.fr, free.fr, laposte.net'),
  },
  {
    name: 'Denmark',
    cities: list('København, Aarhus, Odense, Aalborg, Ærøskøbing, Roskilde, Helsingør, Næstved'),
    phones: list('+45 ## ## ## ##, +45########'),
    mail: list('mail.dk, jubii.dk'),
  },
  {
    name: 'Poland',
    cities: list('Warszawa, Kraków, Łódź, Wrocław, Poznań, Gdańsk, Szczecin, Bydgoszcz, Białystok'),
    phones: list('+48 ###-###-###, +48 ### ### ###'),
    mail: list('wp.pl, onet.pl, o2.pl'),
  },
  {
    name: 'Spain',
    cities: list('Madrid, Barcelona, Málaga, Córdoba, A Coruña, Sevilla, Zaragoza, Cádiz, Logroño'),
    phones: list('+34 6## ## ## ##, +34 6########'),
    mail: list('telefonica.net, movistar.es'),
  },
  {
    name: 'Türkiye',
    cities: list('İstanbul, Ankara, İzmir, Eskişehir, Muğla, Bursa, Antalya'),
    phones: list('+90 (5##) ### ## ##, +90 5## ### ####'),
    mail: list('mynet.com, yandex.com.tr'),
  },
  {
    name: 'Morocco',
    cities: list('Casablanca, Rabat, Fès, Marrakech, Tanger, Agadir, Oujda'),
    phones: list('+212 6##-######, +212 6 ## ## ## ##'),
    mail: list('menara.ma'),
  },
  {
    name: 'Vietnam',
    cities: list('Hà Nội, Thành phố Hồ Chí Minh, Đà Nẵng, Huế, Hải Phòng, Cần Thơ'),
    phones: list('+84 9# ### ## ##, +84 (0)9#-###-####'),
    mail: list('vnn.vn'),
  },
  {
    name: 'Ireland',
    cities: list('Dublin, Cork, Galway, Limerick, Dún Laoghaire, Kilkenny'),
    phones: list('+353 8# ### ####, +353 (0)8# ###-####'),
    mail: list('eircom.net'),
  },
  {
    name: 'Italy',
    cities: list("Roma, Milano, Torino, Napoli, Bologna, Firenze, Forlì, Cantù, Reggio nell'Emilia"),
    phones: list('+39 3## ### ####, +39 3##-#######'),
    mail: list('libero.it, virgilio.it, tiscali.it'),
  },
]

/** Every country by name. */
export const COUNTRIES: ReadonlyMap<string, Country> = new Map(COUNTRY_LIST.map((c) => [c.name, c]))

/** Looks a country up by name; the pools are static, so a miss is a bug in them. */
export function countryNamed(name: string): Country {
  const country = COUNTRIES.get(name)
  if (country === undefined) throw new Error(`No country named ${name} in the place pools.`)
  return country
}

/** International mail providers, used by people in every country. */
export const GLOBAL_MAIL = list('gmail.com, outlook.com, hotmail.com, icloud.com, yahoo.com, proton.me')
