import type { Expression, ImportDeclaration, Program } from 'estree';

/**
 * Converts a JSON value into an ESTree expression, so the remark plugin can hand structured
 * props to a component (`view={{…}}`) without printing and re-parsing JavaScript.
 */
export function valueToEstree(value: unknown): Expression {
  if (value === null || value === undefined) return { type: 'Literal', value: null };
  if (typeof value === 'string' || typeof value === 'boolean') return { type: 'Literal', value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { type: 'Literal', value: null };
    return value < 0
      ? { type: 'UnaryExpression', operator: '-', prefix: true, argument: { type: 'Literal', value: -value } }
      : { type: 'Literal', value };
  }
  if (Array.isArray(value)) return { type: 'ArrayExpression', elements: value.map((v) => valueToEstree(v)) };
  if (typeof value === 'object') {
    return {
      type: 'ObjectExpression',
      properties: Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => ({
          type: 'Property',
          key: { type: 'Literal', value: k },
          value: valueToEstree(v),
          kind: 'init',
          method: false,
          shorthand: false,
          computed: false,
        })),
    };
  }
  throw new TypeError(`cannot pass a ${typeof value} as a component prop`);
}

/** A program holding one expression statement: what MDX expects in `data.estree` of an attribute value. */
export function expressionProgram(expression: Expression): Program {
  return { type: 'Program', sourceType: 'module', body: [{ type: 'ExpressionStatement', expression }] };
}

/** `import Name from 'source'` as an ESTree program, for an injected `mdxjsEsm` node. */
export function defaultImportProgram(name: string, source: string): Program {
  const declaration: ImportDeclaration = {
    type: 'ImportDeclaration',
    specifiers: [{ type: 'ImportDefaultSpecifier', local: { type: 'Identifier', name } }],
    source: { type: 'Literal', value: source },
    attributes: [],
  };
  return { type: 'Program', sourceType: 'module', body: [declaration] };
}
