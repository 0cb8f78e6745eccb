export { SCENARIOS, type Scenario, type ScenarioContext } from './scenarios';
export { HISTORIES_DIR, historyFiles, loadHistory, type LoadedHistory, type RecordedHistoryFile } from './history-files';
