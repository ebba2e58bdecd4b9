/**
 * Name pools per origin. The demo company sits in the Netherlands, so Dutch names dominate, with the
 * names of neighbours and of the larger communities there. The pools deliberately carry what breaks
 * naive provisioning: diacritics (José, Zoë, Søren, Łukasz, Müller, Çelik, Nguyễn), apostrophes
 * (O'Brien, D'Angelo, in 't Veld), hyphens (Jean-Luc, Smith-Jones), spaces inside a name (María José,
 * El Amrani), name particles kept apart in middle_name (van der, von) and gendered surnames (Kowalska).
 */

/** A surname, with the particle HR keeps in middle_name and, for Polish names, the female form. */
export interface LastName {
  readonly particle: string
  readonly name: string
  readonly femaleName: string
}

/** Where a person's name comes from; `home` is the country they most likely live in when not in the Netherlands. */
export interface Origin {
  readonly code: string
  readonly weight: number
  readonly home: string
  readonly male: readonly string[]
  readonly female: readonly string[]
  readonly last: readonly LastName[]
}

const list = (text: string): readonly string[] => text.split(',').map((s) => s.trim())

/** Parses `particle|Name` and `Male/Female` entries. */
const surnames = (text: string): readonly LastName[] =>
  list(text).map((entry) => {
    const [particle, rest] = entry.includes('|') ? (entry.split('|') as [string, string]) : ['', entry]
    const [name, femaleName] = rest.includes('/') ? (rest.split('/') as [string, string]) : [rest, rest]
    return { particle, name, femaleName }
  })

export const ORIGINS: readonly Origin[] = [
  {
    code: 'nl',
    weight: 36,
    home: 'Netherlands',
    male: list(
      'Jan, Pieter, Johannes, Hendrik, Willem, Gerrit, Cornelis, Dirk, Bram, Daan, Sem, Lucas, Thijs, Ruben, Jeroen, ' +
        'Maarten, Bas, Sander, Joost, Jan-Willem, Gert-Jan, Niels, Stijn, Koen, Mark, Wouter, Arjen, Erik, Frank, ' +
        'Hans, Henk, Kees, Martijn, Michiel, Pim, Rik, Roel, Teun, Tim, Vincent, Wim, Jochem, Floris, Gijs, Joris, ' +
        'Laurens, Menno, Olaf, Reinier, Sjoerd, Tjeerd, Wessel',
    ),
    female: list(
      'Anna, Femke, Sanne, Lotte, Anouk, Eva, Sophie, Iris, Maaike, Marloes, Ingrid, Wilhelmina, Annemarie, ' +
        'Anne-Marie, Zoë, Noëlle, Esmée, Chloë, Ilse, Fleur, Margriet, Janneke, Renée, Astrid, Bregje, Carolien, ' +
        'Daphne, Eline, Floor, Hanneke, Inge, Jolien, Karin, Linda, Manon, Marieke, Mirjam, Nienke, Petra, Roos, ' +
        'Saskia, Tessa, Wendy, Yvonne, Lieke, Joke, Marie-José',
    ),
    last: surnames(
      'Jansen, de|Vries, van den|Berg, van|Dijk, Bakker, Janssen, Visser, Smit, Meijer, de|Boer, Mulder, de|Groot, Bos, Vos, ' +
        'Peters, Hendriks, van|Leeuwen, Dekker, Brouwer, de|Wit, Dijkstra, Smits, de|Graaf, van der|Meer, van der|Linden, ' +
        "Kok, de|Haan, Vermeulen, van den|Heuvel, van der|Veen, van den|Broek, de|Jong, ter|Horst, in 't|Veld, van de|Ven, " +
        "'t|Hart, van 't|Hof, Koç-de Wit, IJzerman, van|Beek, van|Wijk, van den|Bosch, van|Gelder, van|Rijn, van|Dam, " +
        'van|Vliet, van|Loon, van|Es, van|Houten, van|Zanten, van|Kampen, Verhoeven, Willems, Kuipers, Hoekstra, ' +
        'Boersma, Postma, Kramer, Prins, Schouten, Huisman, Veenstra, Timmermans, Hermans, Koster, Wolters, Maas, ' +
        'Verbeek, Scholten, Hoogendoorn, Kuijpers, Sanders, Blom, Jonker, van der|Heijden, van der|Wal, van der|Laan, ' +
        'van der|Berg, van der|Steen, de|Ruiter, de|Bruijn, de|Lange, de|Koning, de|Vos, ten|Brink, ter|Haar, Oosterhuis, ' +
        'Westerhof, Zuidema, Noordhoek, Groeneveld, Heemskerk, Drenth, Roozendaal, Kleinjan',
    ),
  },
  {
    code: 'de',
    weight: 11,
    home: 'Germany',
    male: list(
      'Hans, Jürgen, Klaus, Stefan, Michael, Thomas, Andreas, Jörg, Karl-Heinz, Hans-Peter, Lukas, Maximilian, Felix, ' +
        'Günter, Matthias, Sebastian, Tobias, Uwe, Dieter, Florian, Frank, Heinz, Jonas, Kai, Manfred, Markus, Norbert, ' +
        'Ralf, Rüdiger, Wolfgang',
    ),
    female: list(
      'Ursula, Sabine, Petra, Monika, Katharina, Anja, Jana, Lea, Hannah, Brigitte, Renate, Gisela, Anke, Käthe, ' +
        'Marlene, Birgit, Lena, Andrea, Claudia, Doris, Heike, Ingeborg, Johanna, Karin, Mia, Susanne, Ulrike, Gudrun',
    ),
    last: surnames(
      'Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, Schäfer, Koch, Bauer, Richter, ' +
        'Klein, Wolf, Schröder, Neumann, Schwarz, Zimmermann, Braun, Krüger, Weiß, Groß, Köhler, Meißner, von|Weizenfeld, ' +
        'von der|Heide, von|Bülow, Müller-Lüdenscheidt, Hartmann, Lange, Werner, Krause, Lehmann, Schmitz, Schulze, ' +
        'Maier, Köster, Jäger, Böhm, Vogel, Friedrich, Günther, Götz, Förster, Lorenz, Pfeiffer, Dreßler',
    ),
  },
  {
    code: 'fr',
    weight: 5,
    home: 'France',
    male: list(
      'Jean-Luc, Jean-Pierre, François, Jérôme, Étienne, Gaël, Benoît, Loïc, Mathéo, Hervé, Théo, Nicolas, Pierre, ' +
        'Olivier, Rémi, Antoine, Cédric, Frédéric, Sébastien',
    ),
    female: list(
      'Françoise, Hélène, Élodie, Anaïs, Léa, Chloé, Céline, Mélanie, Marie-Claire, Aurélie, Amélie, Noémie, Inès, Béatrice',
    ),
    last: surnames(
      'Dubois, Lefèvre, Martin, Bernard, Petit, Durand, Leroy, Moreau, Girard, Fontaine, Lemaître, Rousseau, Faure, ' +
        "Chevalier, Gauthier, Bérenger, Lefèvre-Dubois, D'Arcy, Lambert, Bonnet, François, Mercier, Dupont, Lévêque, " +
        'Boucher, Guérin, Roche, Perrin, Morel',
    ),
  },
  {
    code: 'dk',
    weight: 3,
    home: 'Denmark',
    male: list('Søren, Jørgen, Mads, Rasmus, Bjørn, Anders, Niels, Kasper, Frederik, Asger'),
    female: list('Åse, Mette, Sofie, Ida, Freja, Karen, Birgitte, Signe, Maja, Astrid, Ragnhild'),
    last: surnames(
      'Jensen, Nielsen, Hansen, Pedersen, Andersen, Christensen, Sørensen, Rasmussen, Jørgensen, Mølgaard, Kjærgaard, ' +
        'Østergaard, Løkke, Bæk, Frølich, Ærtebjerg',
    ),
  },
  {
    code: 'pl',
    weight: 6,
    home: 'Poland',
    male: list(
      'Łukasz, Paweł, Michał, Grzegorz, Krzysztof, Wojciech, Tomasz, Piotr, Jędrzej, Stanisław, Mateusz, Adam, Bartosz, ' +
        'Dariusz, Jakub, Kamil, Marcin, Przemysław, Radosław, Zbigniew',
    ),
    female: list(
      'Małgorzata, Agnieszka, Katarzyna, Joanna, Zofia, Weronika, Żaneta, Bożena, Magdalena, Anna, Aleksandra, Beata, ' +
        'Dorota, Ewa, Grażyna, Iwona, Justyna, Marta, Urszula, Jadwiga',
    ),
    last: surnames(
      'Kowalski/Kowalska, Wiśniewski/Wiśniewska, Wójcik, Kowalczyk, Kamiński/Kamińska, Lewandowski/Lewandowska, ' +
        'Zieliński/Zielińska, Szymański/Szymańska, Woźniak, Dąbrowski/Dąbrowska, Kozłowski/Kozłowska, Mazur, Krawczyk, ' +
        'Żółkiewski/Żółkiewska, Nowak, Wróbel, Pawlak, Michalski/Michalska, Nowicki/Nowicka, Adamczyk, Dudek, ' +
        'Zając, Wieczorek, Jabłoński/Jabłońska, Król, Majewski/Majewska, Olszewski/Olszewska, Jaworski/Jaworska, Stępień, ' +
        'Grabowski/Grabowska, Pawłowski/Pawłowska',
    ),
  },
  {
    code: 'es',
    weight: 5,
    home: 'Spain',
    male: list(
      'José, João, Jesús, Álvaro, Andrés, Tomás, Joaquín, Rubén, Íñigo, Sergio, Luís, Gonçalo, Diego, Javier, Raúl, ' +
        'Adrián, Martín, Pablo, Héctor, Iván',
    ),
    female: list(
      'María, María José, Lucía, Sofía, Inês, Begoña, Ángela, Núria, Carmen, Beatriz, Mónica, Conceição, Elena, ' +
        'Pilar, Rocío, Marta, Irene, Ainhoa, Leonor, Verónica',
    ),
    last: surnames(
      'García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez, Gómez, Núñez, Muñoz, Gonçalves, ' +
        'Magalhães, Araújo, Díaz, Peña, García-López, de la|Cruz, Ruiz, Hernández, Jiménez, Moreno, Álvarez, Romero, ' +
        'Navarro, Torres, Domínguez, Vázquez, Ramos, Gil, Serrano, Blanco, Castillo, Ortega, Rubio, Marín',
    ),
  },
  {
    code: 'tr',
    weight: 7,
    home: 'Türkiye',
    male: list(
      'Mehmet, Mustafa, Ahmet, Ömer, Emre, Burak, Hüseyin, Oğuz, Çağlar, İbrahim, Yusuf, Serkan, Ali, Can, Erkan, Hakan, ' +
        'Kemal, Murat, Tolga, Volkan',
    ),
    female: list(
      'Ayşe, Fatma, Elif, Zeynep, Şule, Gülşen, Özlem, Büşra, Merve, Derya, Çiğdem, Aslı, Ebru, Emine, Hatice, Hülya, ' +
        'Nazlı, Sevgi, Tuğba, Yeliz',
    ),
    last: surnames(
      'Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Öztürk, Aydın, Özdemir, Arslan, Doğan, Kılıç, Aslan, Çetin, Kara, Koç, ' +
        'Kurt, Özkan, Şimşek, Polat, Korkmaz, Karakaya, Erdoğan, Güneş, Bulut, Aksoy, Keskin, Ünal, Tekin, Acar',
    ),
  },
  {
    code: 'ma',
    weight: 7,
    home: 'Morocco',
    male: list(
      'Mohammed, Mohamed, Ahmed, Youssef, Ayoub, Hamza, Bilal, Karim, Rachid, Saïd, Anouar, Mounir, Adil, Brahim, ' +
        'Driss, Hicham, Khalid, Mustapha, Nordin, Tarik',
    ),
    female: list(
      'Fatima, Khadija, Nadia, Samira, Yasmina, Imane, Salma, Houda, Naïma, Soukaina, Malika, Asmae, Btissam, Hafsa, ' +
        'Ikram, Latifa, Loubna, Meryem, Sanae, Zineb',
    ),
    last: surnames(
      'El Amrani, Ben Ali, Bouzid, Benali, Aït Bensaïd, Ouali, Boukhari, Azzouzi, El Khatib, Tahiri, Zaoui, Chaïbi, ' +
        'Bakkali, Amrani, El Idrissi, Bouali, Cherkaoui, Essaidi, Haddouchi, Lamrani, Mansouri, Ouahbi, Rahmouni, ' +
        'Slimani, Ziani, El Ouardi, Boutaleb, Akhrif',
    ),
  },
  {
    code: 'vn',
    weight: 3,
    home: 'Vietnam',
    male: list('Minh, Đức, Tuấn, Hùng, Quang, Thành, Huy, Long, Bảo, Khánh'),
    female: list('Thảo, Lan, Hương, Ngọc, Linh, Trang, Mai, Phương, Hà, Thuỷ'),
    last: surnames('Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương'),
  },
  {
    code: 'en',
    weight: 7,
    home: 'Ireland',
    male: list(
      'Patrick, Bobby, Liam, Seán, Cian, Oliver, James, William, Robert, Thomas, Conor, Ciarán, Eoin, Darragh, Declan, ' +
        'Fionn, George, Harry, Jack, Niall, Oisín, Rory',
    ),
    female: list(
      'Eleanor, Marlene, Siobhán, Aoife, Niamh, Saoirse, Caoimhe, Emily, Charlotte, Olivia, Róisín, Mary-Kate, Ciara, ' +
        'Clodagh, Deirdre, Grace, Isla, Méabh, Orla, Sinéad, Úna',
    ),
    last: surnames(
      "O'Brien, O'Neill, O'Connor, O'Sullivan, Murphy, Kelly, Walsh, Byrne, Ryan, McCarthy, Smith, Jones, Williams, " +
        "Taylor, Brown, Smith-Jones, Fitzgerald, D'Souza, Doyle, Kennedy, Lynch, Quinn, Gallagher, Doherty, Kavanagh, " +
        'Ní Bhriain, Mac Giolla, Evans, Davies, Wilson, Clarke-Hughes',
    ),
  },
  {
    code: 'it',
    weight: 4,
    home: 'Italy',
    male: list(
      'Giuseppe, Giovanni, Niccolò, Luca, Marco, Matteo, Lorenzo, Andrea, Francesco, Gianluca, Pierpaolo, Alessandro, ' +
        'Davide, Fabrizio, Riccardo, Simone',
    ),
    female: list(
      'Giulia, Chiara, Francesca, Alessia, Federica, Martina, Elisa, Ilaria, Noemi, Beatrice, Sara, Valentina, Silvia, Paola',
    ),
    last: surnames(
      "D'Angelo, De Luca, Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Bruno, " +
        "Dell'Acqua, D'Amico, Di Stefano, Gallo, Conti, Mancini, Costa, Giordano, Rizzo, Lombardi, Moretti, Barbieri, " +
        'Fontana, Santoro, Mariani',
    ),
  },
]

/** First names used for about four in five people with gender X; the rest get a name from either list. */
export const UNISEX_NAMES = list('Sam, Robin, Kim, Alex, Charlie, Noa, Jamie, Sasha, Eli, Jesse, Quinn, Lou')

/** Short forms people ask to be called by; preferred_name is set for some of the people whose name has one. */
export const NICKNAMES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    Johannes: 'Hans',
    Hendrik: 'Henk',
    Cornelis: 'Kees',
    Willem: 'Wim',
    Wilhelmina: 'Mien',
    Gerrit: 'Gert',
    'Jan-Willem': 'JW',
    Annemarie: 'Anne',
    Maximilian: 'Max',
    Katharina: 'Kathi',
    Ursula: 'Uschi',
    Michael: 'Mike',
    Thomas: 'Tom',
    Robert: 'Bob',
    William: 'Bill',
    Patrick: 'Paddy',
    Eleanor: 'Ellie',
    Mohammed: 'Mo',
    Giuseppe: 'Beppe',
    Małgorzata: 'Gosia',
    Katarzyna: 'Kasia',
    Stanisław: 'Staszek',
    Jędrzej: 'Jędrek',
    Thảo: 'Tina',
    Đức: 'Duke',
    'Jean-Luc': 'JL',
    'María José': 'Majo',
    Francesco: 'Frank',
    Alexander: 'Alex',
  }),
)
