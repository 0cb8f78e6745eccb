import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { PREVIEW_SEARCH_ATTRIBUTES } from '../../../workflows/contract';

const INDEXED: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DATETIME: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/**
 * The time-skipping server rejects upserts of unregistered search attributes (failing every
 * workflow task), and `createTimeSkipping` has no option to register them: do it through the
 * operator API, as the dev server's `--search-attribute` flags do.
 */
export async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const searchAttributes = Object.fromEntries(PREVIEW_SEARCH_ATTRIBUTES.map((key) => [key.name, INDEXED[key.type] as temporal.api.enums.v1.IndexedValueType]));
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes });
}
