/**
 * What the connector knows about attributes and object classes, in one place for the read and the
 * write side: which attributes the directory maintains itself (never written), which are back-links
 * (changed on the other end of a link, so invisible to incremental reads), which hold AD FILETIME
 * integers, which are binary, and what the standard object classes require. Names are compared
 * case-insensitively, as directories do.
 */

const lowerSet = (names: readonly string[]): ReadonlySet<string> => new Set(names.map((n) => n.toLowerCase()))

/**
 * Attributes maintained on the other end of a link: adding a member changes the group, not the
 * member, so the member's uSNChanged and modifyTimestamp stay as they were (AD and OpenLDAP's
 * memberof overlay alike). Read-only as well.
 */
const BACK_LINKS: ReadonlySet<string> = lowerSet([
  'memberOf',
  'isMemberOf',
  'directReports',
  'managedObjects',
  'msDS-MemberOfBL',
])

export function isBackLink(attribute: string): boolean {
  return BACK_LINKS.has(attribute.toLowerCase())
}

/**
 * Attributes the directory maintains itself (identifiers, timestamps, back-links, AD's logon
 * statistics): a function never writes them. `name` is AD's copy of the RDN value (a rename sets it).
 */
const READ_ONLY_ATTRIBUTES: ReadonlySet<string> = new Set([
  ...lowerSet([
    'objectGUID',
    'objectSid',
    'entryUUID',
    'entryDN',
    'dn',
    'distinguishedName',
    'name',
    'whenCreated',
    'whenChanged',
    'uSNChanged',
    'uSNCreated',
    'createTimestamp',
    'modifyTimestamp',
    'creatorsName',
    'modifiersName',
    'entryCSN',
    'structuralObjectClass',
    'subschemaSubentry',
    'hasSubordinates',
    'numSubordinates',
    'objectCategory',
    'primaryGroupToken',
    'tokenGroups',
    'lastLogon',
    'lastLogonTimestamp',
    'lastLogoff',
    'logonCount',
    'badPwdCount',
    'badPasswordTime',
    'pwdChangedTime',
    'msDS-UserPasswordExpiryTimeComputed',
    'msDS-User-Account-Control-Computed',
  ]),
  ...BACK_LINKS,
])

/** Attributes a function writes in its own way, with the way the message names. */
const MANAGED_ATTRIBUTES: Readonly<Record<string, string>> = {
  objectclass: "the table's `objectClasses` option decides the object classes of created entries",
  unicodepwd: 'set passwords with the secret parameter `password`',
  userpassword: 'set passwords with the secret parameter `password`',
}

/** Why a function may not write `attribute` (read-only or managed), or undefined when it may. */
export function notWritable(attribute: string): string | undefined {
  const name = attribute.toLowerCase()
  if (READ_ONLY_ATTRIBUTES.has(name)) return 'the directory maintains it'
  return MANAGED_ATTRIBUTES[name]
}

/** AD attributes that hold FILETIME integers: written and searched as integers, not as GeneralizedTime. */
const FILETIME_ATTRIBUTES: ReadonlySet<string> = lowerSet([
  'accountExpires',
  'pwdLastSet',
  'lastLogon',
  'lastLogonTimestamp',
  'lastLogoff',
  'lockoutTime',
  'badPasswordTime',
  'msDS-UserPasswordExpiryTimeComputed',
  'msDS-LastSuccessfulInteractiveLogonTime',
  'msDS-LastFailedInteractiveLogonTime',
  'ms-Mcs-AdmPwdExpirationTime',
  'msLAPS-PasswordExpirationTime',
])

export function isFiletimeAttribute(attribute: string): boolean {
  return FILETIME_ATTRIBUTES.has(attribute.toLowerCase())
}

/** Attributes read as binary whatever the options say; objectGUID and objectSid get string forms. */
export const KNOWN_BINARY = [
  'objectGUID',
  'objectSid',
  'sIDHistory',
  'thumbnailPhoto',
  'jpegPhoto',
  'userCertificate',
  'cACertificate',
  'msExchMailboxGuid',
  'mS-DS-ConsistencyGuid',
  'msDS-GenerationId',
  'logonHours',
] as const

/**
 * Attributes the object classes of the `ldap` defaults require (RFC 4519, RFC 2798, RFC 2307): a
 * create must give them, or the directory refuses it (LDAP result 65). AD requires nothing a create
 * does not add itself. The member of a group is required too, but a create puts a placeholder in
 * its place (requiredMemberAttributes).
 */
const REQUIRED_BY_CLASS: Readonly<Record<string, readonly string[]>> = {
  person: ['cn', 'sn'],
  groupofnames: ['cn'],
  groupofuniquenames: ['cn'],
  organizationalunit: ['ou'],
  posixaccount: ['cn', 'uid', 'uidNumber', 'gidNumber', 'homeDirectory'],
  posixgroup: ['cn', 'gidNumber'],
}

/** The attributes (lower case) entries of these object classes must have. */
export function requiredAttributes(objectClasses: readonly string[]): ReadonlySet<string> {
  return lowerSet(objectClasses.flatMap((c) => REQUIRED_BY_CLASS[c.toLowerCase()] ?? []))
}

/**
 * RFC 4519's groups and the member attribute each requires a value of (groupOfNames: member,
 * groupOfUniqueNames: uniqueMember). A group without members holds the empty DN there instead
 * (see ldap-encode.ts memberPlaceholder), which reads as no member.
 */
const MEMBER_REQUIRED_BY_CLASS: Readonly<Record<string, string>> = {
  groupofnames: 'member',
  groupofuniquenames: 'uniqueMember',
}

/** The member attributes entries of these object classes must have a value of. */
export function requiredMemberAttributes(objectClasses: readonly string[]): string[] {
  return objectClasses.flatMap((c) => MEMBER_REQUIRED_BY_CLASS[c.toLowerCase()] ?? [])
}

/** Whether `attribute` is the required member attribute of one of RFC 4519's groups. */
export function isRequiredMemberAttribute(attribute: string): boolean {
  const name = attribute.toLowerCase()
  return Object.values(MEMBER_REQUIRED_BY_CLASS).some((a) => a.toLowerCase() === name)
}

/**
 * Attributes whose values are DNs of other entries. They are read in the standard spelling
 * (ldap-dn.ts canonicalDn), as the dn, parent, group and member columns are, so that a group's
 * member list holds the same text as its members' dn column.
 */
const DN_VALUED = new Set(
  [
    'member',
    'uniqueMember',
    'memberOf',
    'isMemberOf',
    'manager',
    'directReports',
    'managedBy',
    'managedObjects',
    'secretary',
    'owner',
    'seeAlso',
    'roleOccupant',
    'distinguishedName',
  ].map((a) => a.toLowerCase()),
)

export function isDnValued(attribute: string): boolean {
  return DN_VALUED.has(attribute.toLowerCase())
}
