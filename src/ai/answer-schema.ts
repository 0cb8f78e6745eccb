// The structured-output contract with the model: a JSON schema for the request (strict mode,
// names limited to the catalogue), and the same shape checked again on the answer, because
// an OpenAI-compatible server is free to ignore the schema.

export const ANSWER_SCHEMA_NAME = 'affected_services';

export function answerJsonSchema(serviceNames: readonly string[]): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['services', 'rationale'],
    properties: {
      services: { type: 'array', items: { type: 'string', enum: [...serviceNames] }, description: 'Names of the affected services, from the catalogue.' },
      rationale: { type: 'string', description: 'One or two sentences on why.' },
    },
  };
}
