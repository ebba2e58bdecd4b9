/** Type checking of function calls: overload choice, argument count and types, constant arguments. */
import { closestMatch, type Value } from '../core/index.ts'
import { type CallNode, type Expr, LiteralNode } from './ast/index.ts'
import type { ExprErrorCode } from './errors.ts'
import type { FunctionDefinition, ParamSpec, Signature } from './functions/definition.ts'
import { findFunction, functionNames } from './functions/registry.ts'
import { type Span, spanAt } from './span.ts'
import { type ExprType, unifyTypes } from './types.ts'

export interface CallContext {
  readonly source: string
  report(code: ExprErrorCode, message: string, span: Span, hint?: string): void
}

export interface CheckedCall {
  readonly type: ExprType
  readonly fn: FunctionDefinition
  readonly signature: Signature
}

/** `undefined` means the argument already failed to check; it fits anywhere so errors do not cascade. */
type ArgType = ExprType | undefined

function accepts(param: ParamSpec, type: ArgType): boolean {
  return type === undefined || type === 'null' || param.types === 'any' || param.types.includes(type)
}

/** The parameter that argument `i` binds to, or undefined when there are too many arguments. */
function paramAt(signature: Signature, i: number): ParamSpec | undefined {
  const last = signature.params[signature.params.length - 1]
  return signature.params[i] ?? (last?.variadic === true ? last : undefined)
}

function fitsCount(signature: Signature, count: number): boolean {
  const required = signature.params.filter((p) => p.optional !== true).length
  const variadic = signature.params.some((p) => p.variadic === true)
  return count >= required && (variadic || count <= signature.params.length)
}

function describeSignature(fn: FunctionDefinition, signature: Signature): string {
  const params = signature.params.map((p) => {
    const types = p.types === 'any' ? 'any' : p.types.join('|')
    return `${p.optional === true ? '[' : ''}${p.name} ${types}${p.variadic === true ? ', …' : ''}${p.optional === true ? ']' : ''}`
  })
  return `${fn.name}(${params.join(', ')})`
}

function arityText(fn: FunctionDefinition): string {
  const counts = new Set<string>()
  for (const s of fn.signatures) {
    const required = s.params.filter((p) => p.optional !== true).length
    counts.add(
      s.params.some((p) => p.variadic === true)
        ? `at least ${required}`
        : required === s.params.length
          ? `${required}`
          : s.params.length === required + 1
            ? `${required} or ${required + 1}`
            : `${required} to ${s.params.length}`,
    )
  }
  const text = [...counts].join(' or ')
  return `${text} argument${text === '1' ? '' : 's'}`
}

/** The span of the character at `valueIndex` of a string literal's value (`''` counts as one). */
function literalCharSpan(source: string, literal: Expr, valueIndex: number): Span {
  let raw = literal.span.offset + source.slice(literal.span.offset).indexOf("'") + 1
  for (let i = 0; i < valueIndex && raw < literal.span.offset + literal.span.length; i++)
    raw += source.startsWith("''", raw) ? 2 : 1
  const code = source.codePointAt(raw) ?? 0
  return spanAt(source, raw, code > 0xffff ? 2 : 1)
}

function returnType(signature: Signature, types: readonly ArgType[]): ExprType | 'mismatch' | undefined {
  const rule = signature.returns
  if (typeof rule === 'string') return rule
  const picked = rule.unify === 'all' ? types : rule.unify.map((i) => types[i])
  if (picked.includes(undefined)) return undefined
  return unifyTypes(picked as ExprType[]) ?? 'mismatch'
}

function chooseSignature(
  ctx: CallContext,
  node: CallNode,
  fn: FunctionDefinition,
  types: readonly ArgType[],
): Signature | undefined {
  const counted = fn.signatures.filter((s) => fitsCount(s, types.length))
  if (counted.length === 0) {
    ctx.report(
      'EXPR_ARGUMENT_COUNT',
      `${fn.name}() takes ${arityText(fn)}, got ${types.length}.`,
      node.span,
      `Write ${fn.signatures.map((s) => describeSignature(fn, s)).join(' or ')}.`,
    )
    return undefined
  }
  const match = counted.find((s) => types.every((t, i) => accepts(paramAt(s, i)!, t)))
  if (match !== undefined) return match
  const bad = types.findIndex((t, i) => !counted.some((s) => accepts(paramAt(s, i)!, t)))
  if (bad >= 0) {
    const expected = [...new Set(counted.flatMap((s) => paramAt(s, bad)!.types))].join(' or ')
    const name = paramAt(counted[0]!, bad)!.name
    ctx.report(
      'EXPR_ARGUMENT_TYPE',
      `Argument ${bad + 1} (${name}) of ${fn.name}() must be ${expected}, got ${types[bad]}.`,
      node.args[bad]!.span,
    )
  } else {
    const got = types.map((t) => t ?? '?').join(', ')
    ctx.report(
      'EXPR_ARGUMENT_TYPE',
      `${fn.name}() does not accept (${got}).`,
      node.span,
      `Write ${counted.map((s) => describeSignature(fn, s)).join(' or ')}.`,
    )
  }
  return undefined
}

/** Constant arguments must be literals with an accepted value; returns their values by position. */
function checkConstants(
  ctx: CallContext,
  node: CallNode,
  fn: FunctionDefinition,
  signature: Signature,
): (Value | undefined)[] | undefined {
  let ok = true
  const values = node.args.map((arg, i) => {
    const param = paramAt(signature, i)!
    const literal = LiteralNode.is(arg) ? arg.value : undefined
    if (param.constant !== true) return literal
    if (!LiteralNode.is(arg) || arg.type !== 'string') {
      ok = false
      ctx.report(
        'EXPR_CONSTANT_REQUIRED',
        `Argument ${i + 1} (${param.name}) of ${fn.name}() must be a string literal.`,
        arg.span,
      )
      return undefined
    }
    if (param.oneOf !== undefined && !param.oneOf.includes(String(literal))) {
      ok = false
      const near = closestMatch(String(literal), param.oneOf)
      const hint = `${near === undefined ? '' : `Did you mean '${near}'? `}Accepted: ${param.oneOf.map((v) => `'${v}'`).join(', ')}.`
      ctx.report(
        'EXPR_INVALID_ARGUMENT',
        `'${String(literal)}' is not a valid ${param.name} for ${fn.name}().`,
        arg.span,
        hint,
      )
    }
    return literal
  })
  return ok ? values : undefined
}

/** Checks a call whose arguments have the given types; reports problems and returns undefined on failure. */
export function checkCall(ctx: CallContext, node: CallNode, types: readonly ArgType[]): CheckedCall | undefined {
  const fn = findFunction(node.name)
  if (fn === undefined) {
    const near = closestMatch(node.name, functionNames())
    ctx.report(
      'EXPR_UNKNOWN_FUNCTION',
      `There is no function '${node.name}'.`,
      node.nameSpan,
      near === undefined ? undefined : `Did you mean '${near}'?`,
    )
    return undefined
  }
  const signature = chooseSignature(ctx, node, fn, types)
  if (signature === undefined) return undefined
  const constants = checkConstants(ctx, node, fn, signature)
  if (constants === undefined) return undefined
  const problem = fn.validate?.(constants)
  if (problem !== undefined) {
    const arg = node.args[problem.index]!
    const span = problem.valueIndex === undefined ? arg.span : literalCharSpan(ctx.source, arg, problem.valueIndex)
    ctx.report(problem.code, problem.message, span, problem.hint)
    return undefined
  }
  const type = returnType(signature, types)
  if (type === 'mismatch') {
    const got = types.filter((t) => t !== 'null').join(' and ')
    ctx.report('EXPR_TYPE_MISMATCH', `The arguments of ${fn.name}() must have compatible types, got ${got}.`, node.span)
    return undefined
  }
  return type === undefined ? undefined : { type, fn, signature }
}
