import { z } from 'zod';

// How previewd marks what it created on a shared PostgreSQL server, so orphans are recognised
// without guessing from names. Two comments, with different trust:
//
// - The role's comment is the ownership marker. Only a role with CREATEROLE (PostgreSQL 15 and
//   older) or ADMIN on the role (16 and newer) may change it, so the preview's own code cannot.
// - The database's comment repeats it for people browsing the server and records the schema
//   bootstrap. The database owner (the preview role, running PR code) can rewrite it, so it
//   never decides ownership; forging it only affects that preview's own bootstrap.

export const MANAGED_BY = 'previewd';

const markerSchema = z
  .object({
    managedBy: z.literal(MANAGED_BY),
    namespace: z.string().min(1),
    workflowId: z.string().min(1),
    createdAt: z.iso.datetime(),
  })
  .strict();

const databaseCommentSchema = markerSchema
  .extend({
    bootstrap: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), appliedAt: z.iso.datetime() }).strict().optional(),
  })
  .strict();

export type OwnershipMarker = z.infer<typeof markerSchema>;
export type DatabaseComment = z.infer<typeof databaseCommentSchema>;
export type BootstrapRecord = NonNullable<DatabaseComment['bootstrap']>;

export function ownershipMarker(owner: { readonly namespace: string; readonly workflowId: string; readonly createdAt: string }): OwnershipMarker {
  return { managedBy: MANAGED_BY, namespace: owner.namespace, workflowId: owner.workflowId, createdAt: owner.createdAt };
}

function parseJson(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The marker in a role comment; undefined for anything else (a person's comment, garbage, nothing). */
export function parseOwnershipMarker(comment: string | null | undefined): OwnershipMarker | undefined {
  const parsed = markerSchema.safeParse(parseJson(comment));
  return parsed.success ? parsed.data : undefined;
}

export function parseDatabaseComment(comment: string | null | undefined): DatabaseComment | undefined {
  const parsed = databaseCommentSchema.safeParse(parseJson(comment));
  return parsed.success ? parsed.data : undefined;
}

/** Comments are stored as compact JSON, keys in a fixed order. */
export function renderComment(comment: OwnershipMarker | DatabaseComment): string {
  return JSON.stringify(comment);
}

/** Whether the marker names exactly this owner. */
export function isOwnedBy(marker: OwnershipMarker | undefined, owner: { readonly namespace: string; readonly workflowId: string }): boolean {
  return marker !== undefined && marker.namespace === owner.namespace && marker.workflowId === owner.workflowId;
}
