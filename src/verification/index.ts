// Seed 000's verification plan over a live preview (`previewctl verify`): the facts it reads and
// the checks over them.
export { verifyPreview, formatChecks, type VerificationCheck, type PreviewFacts, type BaselineFact } from './preview-checks';
export { gatherFacts, type KubeReader, type FactsRequest } from './gather-facts';
export { firstDifference } from './object-match';
