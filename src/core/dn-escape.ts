/**
 * Escaping of attribute values for LDAP distinguished names (RFC 4514 §2.4). In core because both
 * the LDAP connector (DNs it builds) and the expression language (`escape_dn`, for DNs a mapping
 * builds, such as an OU per department) need exactly the same rule.
 */

/**
 * Escapes an attribute value for a DN (RFC 4514 §2.4): `"+,;<>\` and `=` everywhere, NUL as `\00`,
 * a leading `#` or space and a trailing space. Other characters, non-ASCII letters included, stay.
 *
 * @example escapeDnValue('Jansen, Jan') // 'Jansen\\, Jan'
 */
export function escapeDnValue(value: string): string {
  let out = ''
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!
    if (c === '\0') out += '\\00'
    else if ('"+,;<>\\='.includes(c)) out += `\\${c}`
    else if ((c === '#' || c === ' ') && i === 0) out += `\\${c}`
    else if (c === ' ' && i === value.length - 1) out += '\\ '
    else out += c
  }
  return out
}
