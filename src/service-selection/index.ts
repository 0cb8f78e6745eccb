// Which of a repository's services a pull request needs deployed: path globs over its changed
// files, declared dependencies and always-deploy services (the static choice the AI refines).
export { touchedPaths, type ChangedFile } from './changed-file';
export { selectAffectedServices, type SelectionReason, type SelectionOptions, type ServiceSelection, type SelectionRepository } from './affected-services';
