/**
 * Every id the extension shares with package.json, in one typed place. test/unit/manifest.test.ts checks that
 * these and the manifest's contributions are the same sets.
 */
export const Commands = {
  showLog: 'aiProvenance.showLog',
  refresh: 'aiProvenance.refresh',
  openSidebar: 'aiProvenance.openSidebar',
  acceptInlineSuggestion: 'aiProvenance.acceptInlineSuggestion',
  acceptInlineEdit: 'aiProvenance.acceptInlineEdit',
  acceptInlineEditAlternative: 'aiProvenance.acceptInlineEditAlternative',
  acceptNextWord: 'aiProvenance.acceptNextWord',
  acceptNextLine: 'aiProvenance.acceptNextLine',
  markAsAi: 'aiProvenance.markAsAi',
  markAsHuman: 'aiProvenance.markAsHuman',
  recordTrace: 'aiProvenance.recordTrace',
  stopRecordingTrace: 'aiProvenance.stopRecordingTrace',
  installHooks: 'aiProvenance.installHooks',
  installCommandLine: 'aiProvenance.installCommandLine',
  setUpAgentHooks: 'aiProvenance.setUpAgentHooks',
  removeAgentHooks: 'aiProvenance.removeAgentHooks',
  previewTrailers: 'aiProvenance.previewTrailers',
  addTrailersToCommitMessage: 'aiProvenance.addTrailersToCommitMessage',
  requestReview: 'aiProvenance.requestReview',
  signOff: 'aiProvenance.signOff',
  createStarterPolicy: 'aiProvenance.createStarterPolicy',
  openCommitChange: 'aiProvenance.openCommitChange',
  openAuditDashboard: 'aiProvenance.openAuditDashboard',
  review: 'aiProvenance.review',
  addReviewComment: 'aiProvenance.addReviewComment',
  saveReviewComment: 'aiProvenance.saveReviewComment',
  markViewed: 'aiProvenance.markViewed',
  signOffWithoutViewingAll: 'aiProvenance.signOffWithoutViewingAll',
  requestChanges: 'aiProvenance.requestChanges',
  fetchReviewRequests: 'aiProvenance.fetchReviewRequests',
  checkOutRequest: 'aiProvenance.checkOutRequest',
  setGitLabToken: 'aiProvenance.setGitLabToken',
  openPolicyFile: 'aiProvenance.openPolicyFile',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const ViewContainers = {
  main: 'aiProvenance',
} as const;

export const Views = {
  needsSignoff: 'aiProvenance.needsSignoff',
} as const;

export const ContextKeys = {
  recording: 'aiProvenance.recording',
  /**
   * What the Needs Sign-off view shows (views/signoff-welcome.ts): loading, noRepository, noBase, error, badPolicy,
   * noRoster, nothingWaiting, waiting.
   */
  signoffView: 'aiProvenance.signoffView',
  /** Every file that needs a look, of the commits that wait, is marked viewed: Sign Off is enabled. */
  allAiFilesViewed: 'aiProvenance.allAiFilesViewed',
} as const;

/** The extension's id as VS Code knows it: publisher.name. */
export const EXTENSION_ID = 'ai-provenance.ai-provenance';
