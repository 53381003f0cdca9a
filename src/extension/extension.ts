import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileSummary } from '../core/attribution/lines';
import { TOOLS, type Tool } from '../core/attribution/origin';
import { ALTERNATIVE_ACCEPT, AcceptController, detectTool } from './tracking/accept';
import { removeAgentHooks, setUpAgentHooks } from './commands/agent-hooks';
import { AgentSpoolWatcher } from './tracking/agent-spool';
import { ChatEditingWatcher } from './tracking/chat';
import { Decorations } from './views/decorations';
import { GitHooksSetup } from './commands/git-hooks';
import { HooksStatusItem } from './views/hooks-status';
import { CommandLine } from './commands/command-line';
import { PacketDocuments } from './views/packet-document';
import { AuditDashboard } from './views/audit-dashboard';
import { Commands, ContextKeys, ViewContainers, Views, type CommandId } from './platform/ids';
import { ExclusiveCommands } from './platform/progress';
import { detectAcceptKeys } from './tracking/accept-keys';
import type { AcceptKeyFeatures } from '../core/accept-keys';
import { createLogger } from './platform/logger';
import { GitHubReviewer } from './platform/github';
import { GitLabReviewer } from './platform/gitlab';
import { NeedsSignoffView, openCommitChange, type CommitFileChange } from './views/needs-signoff-view';
import { SignoffWelcome } from './views/signoff-welcome';
import { openPolicyFile } from './commands/policy-file';
import { registerPasteProvider } from './tracking/paste';
import { TraceRecorder } from './tracking/recorder';
import { Repositories } from './platform/repositories';
import { Settings } from './platform/settings';
import { createStarterPolicy, requestSeniorReview, signOff } from './commands/signoff';
import {
  addReviewComment,
  checkOutRequest,
  fetchReviewRequests,
  markViewed,
  openReview,
  requestChanges,
} from './commands/review';
import { ReviewSession } from './views/review-session';
import type { InboxEntry } from '../io/review/inbox';
import { rootOf, SignoffModel, type SignoffState } from './views/signoff-model';
import { AiShareStatusBar } from './views/status-bar';
import { ProvenanceTracker } from './tracking/tracker';
import { previewTrailers, scmRepository, withTrailers, type TrailerPreview } from './commands/trailers-preview';

/** What activate() returns: used by the e2e tests, and by other extensions that want to read provenance. */
export interface AiProvenanceApi {
  readonly version: string;
  /** From loading the bundle to the end of activate() (npm run bench; the budget is 50 ms). */
  readonly activationMs: number;
  /** Of which loading the bundle, before activate() ran. */
  readonly bundleLoadMs: number;
  /** Which of VS Code's accept-key conditions this VS Code uses, once read (src/core/accept-keys.ts). */
  acceptKeys(): Promise<AcceptKeyFeatures | undefined>;
  /** Line classes and AI segments of a file as the editor tracks it, or undefined when it is not tracked. */
  summary(uri: vscode.Uri): FileSummary | undefined;
  /** Waits until open documents have their stored attribution loaded. */
  ready(): Promise<void>;
  /** Stores the attribution of every open document now. */
  flush(): Promise<void>;
  /** The AI and mixed line ranges the gutter shows for a document. */
  decorated(doc: vscode.TextDocument): { ai: vscode.Range[]; mixed: vscode.Range[] };
  /** The markdown of the hover on the gutter mark of line `line` (0-based), or undefined when it has none. */
  markHover(doc: vscode.TextDocument, line: number): string | undefined;
  /** The status bar item's text, or undefined when hidden. */
  statusBarText(): string | undefined;
  /** The "hooks missing" status bar item's text, or undefined when hidden. */
  hooksStatusText(): string | undefined;
  /** Takes in the agent hook records waiting in the workspace repositories' spools now. */
  ingestAgentRecords(): Promise<void>;
  /** Measures the time each change event takes in our handler (npm run bench). */
  profileChanges(): { stop(): number[] };
  /** The Needs Sign-off view's data, recomputed now. */
  signoffState(): Promise<SignoffState>;
  /** Which welcome the Needs Sign-off view shows (its context key): 'waiting' when it has rows. */
  signoffWelcome(): string;
  /** The view's rows (for tests): label and description of each, depth-first. */
  signoffRows(): string[];
  /** How many times the Needs Sign-off tree has been redrawn (for the tests: a refresh that changes nothing draws nothing). */
  signoffRedraws(): number;
  /** The commands of the view's rows, depth-first (what a click runs), for the tests. */
  signoffRowCommands(): { row: string; command?: vscode.Command }[];
  /** The AI marks the review draws on a document of its diff (for the tests). */
  reviewMarks(doc: vscode.TextDocument): { ai: vscode.Range[]; removed: vscode.Range[] };
  /** The review's comments waiting for the next sign-off or request for changes (for the tests). */
  reviewComments(): { commit: string; path: string; line?: number; text: string }[];
  /** For the e2e tests: VS Code refuses the GitHub sign-in consent dialog in test runs, so they give a token. */
  setGitHubTokenForTests(token: string): void;
}

let services: { tracker: ProvenanceTracker } | undefined;

/** When the bundle began to load: set by the first line of dist/extension.js (scripts/build.mjs); unset elsewhere. */
declare const AI_PROVENANCE_BUNDLE_LOADING: number | undefined;

/** The composition root: build the services in order, hand every disposable to VS Code, return. */
export function activate(context: vscode.ExtensionContext): AiProvenanceApi {
  const started = performance.now();
  const { logger, channel } = createLogger();
  context.subscriptions.push(channel);
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');
  logger.info(`AI Provenance ${version} activating (VS Code ${vscode.version}, ${vscode.env.appName})`);

  const settings = new Settings();
  const repos = new Repositories(logger);
  const tracker = new ProvenanceTracker(repos, logger);
  const signoffModel = new SignoffModel(tracker, () => settings.values.baseBranch, logger);
  const reviewSession = new ReviewSession(context.extensionUri, context.workspaceState, logger);
  const view = new NeedsSignoffView(signoffModel, reviewSession);
  const welcome = new SignoffWelcome(signoffModel, view.treeView);
  const github = new GitHubReviewer(
    () => ({ apiUrl: settings.values.githubApiUrl, authProvider: settings.values.githubAuthProvider }),
    logger,
  );
  const gitlab = new GitLabReviewer(() => settings.values.gitlabApiUrl, context.secrets, logger);
  const decorations = new Decorations(context.extensionUri, tracker, settings);
  const statusBar = new AiShareStatusBar(tracker, settings);
  let detected: Tool | undefined;
  const tool = (): Tool => {
    const configured = settings.values.tool;
    if (configured !== 'auto') return configured;
    return (detected ??= detectTool());
  };
  const chat = new ChatEditingWatcher(tracker, tool);
  const accepts = new AcceptController(tracker, tool, logger);
  accepts.setShadowing(settings.values.shadowAcceptCommands);
  // Which conditions VS Code's own Tab and Ctrl+Right have here: our bindings take the same (package.json).
  const acceptKeys = detectAcceptKeys(logger);
  context.subscriptions.push(settings.onDidChange(v => accepts.setShadowing(v.shadowAcceptCommands)));
  context.subscriptions.push(
    settings,
    tracker,
    signoffModel,
    reviewSession,
    view,
    welcome,
    decorations,
    statusBar,
    chat,
    accepts,
    registerPasteProvider(tracker),
  );
  context.subscriptions.push(settings.onDidChange(() => signoffModel.schedule()));
  // Commits, checkouts and fetches change what waits: follow the built-in git extension's repositories.
  setTimeout(
    () =>
      void watchGitRepositories(signoffModel).then(
        d => context.subscriptions.push(d),
        () => undefined,
      ),
    0,
  );
  signoffModel.schedule();
  context.subscriptions.push(vscode.extensions.onDidChange(() => (detected = undefined)));
  services = { tracker };
  const commandLine = new CommandLine(context, logger);
  const packets = new PacketDocuments();
  const dashboard = new AuditDashboard(context.extensionUri, logger);
  context.subscriptions.push(packets, dashboard);
  const hooks = new GitHooksSetup(context, logger, root => commandLine.announceHooksInstalled(root));
  const agentSpool = new AgentSpoolWatcher(tracker, logger);
  const hooksStatus = new HooksStatusItem(hooks);
  context.subscriptions.push(hooks, hooksStatus, agentSpool);
  const workspaceFolders = (): string[] => (vscode.workspace.workspaceFolders ?? []).map(f => f.uri.fsPath);
  // Not on the activation path: the hooks check runs git; the terminals' command writes a file.
  setTimeout(() => {
    commandLine.ensure();
    void hooks.check(workspaceFolders()).catch(e => logger.warn(`git hooks check: ${(e as Error).message}`));
  }, 0);
  // Hooks taken out behind our back (hooks uninstall, a hook manager) show again when the window comes back.
  const recheckHooks = (): void =>
    void hooks.refreshMissing(workspaceFolders()).catch(e => logger.warn(`git hooks check: ${(e as Error).message}`));
  context.subscriptions.push(
    vscode.window.onDidChangeWindowState(s => (s.focused ? recheckHooks() : undefined)),
    vscode.workspace.onDidChangeWorkspaceFolders(() => recheckHooks()),
  );

  /** The repository folder a command works on: the active file's, else the first workspace folder. */
  const currentFolder = (): string | undefined => {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc?.uri.scheme === 'file') return path.dirname(doc.uri.fsPath);
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  };

  const preview = async (show: boolean): Promise<TrailerPreview | undefined> => {
    const folder = currentFolder();
    if (!folder) return undefined;
    await agentSpool.ingestAll();
    await tracker.flush();
    const result = await previewTrailers(folder, logger);
    if (!show) return result;
    const add = vscode.l10n.t('Add to Commit Message');
    const text = result.trailers.length
      ? vscode.l10n.t('The next commit will carry:\n{0}', result.trailers.join('\n'))
      : result.added === 1
        ? vscode.l10n.t('No AI-written lines are staged (1 added line): the next commit gets no AI trailers.')
        : vscode.l10n.t(
            'No AI-written lines are staged ({0} added lines): the next commit gets no AI trailers.',
            result.added,
          );
    // Not awaited: the command returns the preview while the message waits for the person.
    void vscode.window.showInformationMessage(text, ...(result.trailers.length ? [add] : [])).then(answer => {
      if (answer === add) void addTrailers(result);
    });
    return result;
  };

  const addTrailers = async (result?: TrailerPreview): Promise<boolean> => {
    const r = result ?? (await preview(false));
    if (!r || r.trailers.length === 0) return false;
    const repo = await scmRepository(r.root);
    if (!repo) {
      await vscode.env.clipboard.writeText(r.trailers.join('\n'));
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'The trailers are on the clipboard (no Source Control view for {0}): paste them at the end of your commit message.',
          r.root,
        ),
      );
      return false;
    }
    repo.inputBox.value = withTrailers(repo.inputBox.value, r.trailers);
    return true;
  };

  /** `toolArg` lets keybindings and scripts name the tool (`aiProvenance.markAsAi` with args "copilot"). */
  const mark = async (as: 'ai' | 'human', toolArg?: string): Promise<void> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !ProvenanceTracker.trackable(editor.document)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a file and select the text to mark first.'));
      return;
    }
    let markTool: Tool = 'ai';
    if (as === 'ai' && toolArg !== undefined) {
      if (!(TOOLS as readonly string[]).includes(toolArg)) {
        void vscode.window.showErrorMessage(
          vscode.l10n.t('Unknown tool "{0}": use one of {1}.', toolArg, TOOLS.join(', ')),
        );
        return;
      }
      markTool = toolArg as Tool;
    } else if (as === 'ai') {
      // The detected tool first: Enter picks it.
      const detectedTool = tool();
      const picked = await vscode.window.showQuickPick(
        [detectedTool, ...TOOLS.filter(t => t !== detectedTool)].map(t => ({
          label: t,
          ...(t === detectedTool ? { description: vscode.l10n.t('detected') } : {}),
        })),
        { title: vscode.l10n.t('Which AI wrote the selection?'), placeHolder: detectedTool },
      );
      if (!picked) return;
      markTool = picked.label;
    }
    await tracker.ready();
    const marked = tracker.mark(editor.document, editor.selections, as, markTool);
    if (!marked) void vscode.window.showInformationMessage(vscode.l10n.t('Select the text to mark first.'));
  };

  const recordTrace = async (target?: vscode.Uri): Promise<void> => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!root) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder first: traces record paths relative to it.'));
      return;
    }
    const file =
      target ??
      (await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Record provenance trace to'),
        defaultUri: vscode.Uri.file(
          path.join(root, `provenance-trace-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`),
        ),
        filters: { [vscode.l10n.t('Provenance trace')]: ['jsonl'] },
      }));
    if (!file) return;
    await tracker.ready();
    tracker.startRecording(new TraceRecorder(file.fsPath, root, tracker.engine, tracker.openPaths()));
    await vscode.commands.executeCommand('setContext', ContextKeys.recording, true);
    logger.info(`recording provenance trace to ${file.fsPath}`);
  };

  const stopRecording = async (): Promise<string | undefined> => {
    const recorder = tracker.stopRecording();
    await vscode.commands.executeCommand('setContext', ContextKeys.recording, false);
    if (!recorder) return undefined;
    logger.info(`provenance trace written to ${recorder.file}`);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Provenance trace written to {0}. Replay it with: ai-provenance replay {0}', recorder.file),
    );
    return recorder.file;
  };

  // Commands that run git or ssh-keygen show progress and run once at a time: a double click joins the first run.
  const exclusive = new ExclusiveCommands();
  const sidebar = Views.needsSignoff;
  const once = exclusive.wrap.bind(exclusive);

  // Typed as a complete record over CommandId, so a command constant without a handler does not compile.
  /** GitHub's review state of the branch's pull request, for the sidebar: on Refresh, Fetch and Request only. */
  const readPullRequest = async (): Promise<void> => {
    const state = signoffModel.state;
    if (state.kind !== 'ready') return view.setPullRequest(undefined);
    view.setPullRequest(
      await github.pullRequestState(state.location.root).catch((error: unknown) => {
        logger.warn(`GitHub pull request state: ${(error as Error).message}`);
        return undefined;
      }),
    );
  };

  const handlers: Record<CommandId, (...args: never[]) => unknown> = {
    [Commands.showLog]: () => channel.show(),
    [Commands.refresh]: once(
      Commands.refresh,
      {
        name: vscode.l10n.t('Refresh'),
        title: vscode.l10n.t('Reading what needs sign-off…'),
        view: sidebar,
        notifyBusy: false,
      },
      async () => {
        const state = await signoffModel.refresh();
        await readPullRequest();
        return state;
      },
    ),
    [Commands.openSidebar]: () => vscode.commands.executeCommand(`workbench.view.extension.${ViewContainers.main}`),
    [Commands.acceptInlineSuggestion]: () => accepts.acceptFromTab(acceptKeys),
    [Commands.acceptInlineEdit]: () => accepts.accept('nes'),
    [Commands.acceptInlineEditAlternative]: () => accepts.accept('nes', ALTERNATIVE_ACCEPT),
    [Commands.acceptNextWord]: () => accepts.accept('word'),
    [Commands.acceptNextLine]: () => accepts.accept('line'),
    // From the editor's context menu VS Code passes the file's URI: only a string names a tool (keybindings, scripts).
    [Commands.markAsAi]: (tool?: unknown) => mark('ai', typeof tool === 'string' ? tool : undefined),
    [Commands.markAsHuman]: () => mark('human'),
    [Commands.recordTrace]: (target?: vscode.Uri) => recordTrace(target),
    [Commands.stopRecordingTrace]: () => stopRecording(),
    [Commands.installHooks]: once(
      Commands.installHooks,
      { name: vscode.l10n.t('Install Git Hooks'), title: vscode.l10n.t('Installing the git hooks…') },
      // The status bar item names the repository it is about; the palette works on the current one.
      async (root?: unknown) => {
        const folder = typeof root === 'string' ? root : currentFolder();
        if (!folder)
          return void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder in a git repository first.'));
        try {
          const location = await hooks.install(folder);
          void commandLine.announceHooksInstalled(location.root);
        } catch (error) {
          logger.error(error as Error);
          void vscode.window.showErrorMessage(
            vscode.l10n.t(
              'Could not install the git hooks: {0}. Fix that, then run Install Git Hooks again (Show Log has the details).',
              (error as Error).message,
            ),
          );
        }
      },
    ),
    [Commands.installCommandLine]: (options?: { confirm?: boolean; dir?: string }) =>
      commandLine.installForOtherTerminals(options ?? {}),
    [Commands.setUpAgentHooks]: once(
      Commands.setUpAgentHooks,
      { name: vscode.l10n.t('Set Up Agent Hooks'), title: vscode.l10n.t('Setting up agent hooks…') },
      () => setUpAgentHooks(hooks.launcherTarget(), currentFolder(), logger),
    ),
    [Commands.removeAgentHooks]: once(
      Commands.removeAgentHooks,
      { name: vscode.l10n.t('Remove Agent Hooks'), title: vscode.l10n.t('Removing agent hooks…') },
      () => removeAgentHooks(currentFolder(), logger),
    ),
    [Commands.previewTrailers]: once(
      Commands.previewTrailers,
      { name: vscode.l10n.t('Preview AI Trailers'), title: vscode.l10n.t('Reading the staged AI lines…') },
      () => preview(true),
    ),
    [Commands.requestReview]: once(
      Commands.requestReview,
      {
        name: vscode.l10n.t('Request Senior Review'),
        title: vscode.l10n.t('Requesting senior review…'),
        view: sidebar,
      },
      async (to?: string[]) => {
        const requested = await requestSeniorReview(
          signoffModel,
          github,
          gitlab,
          packets,
          logger,
          Array.isArray(to) ? to : undefined,
        );
        if (requested) await readPullRequest();
        return requested;
      },
    ),
    [Commands.signOff]: once(
      Commands.signOff,
      { name: vscode.l10n.t('Sign Off'), title: vscode.l10n.t('Signing off…'), view: sidebar },
      (options?: { confirm?: boolean }) =>
        signOff(signoffModel, logger, options?.confirm !== false, { session: reviewSession }),
    ),
    [Commands.signOffWithoutViewingAll]: once(
      Commands.signOffWithoutViewingAll,
      { name: vscode.l10n.t('Sign Off'), title: vscode.l10n.t('Signing off…'), view: sidebar },
      (options?: { confirm?: boolean }) =>
        signOff(signoffModel, logger, options?.confirm !== false, { session: reviewSession, withoutViewingAll: true }),
    ),
    [Commands.requestChanges]: once(
      Commands.requestChanges,
      { name: vscode.l10n.t('Request Changes'), title: vscode.l10n.t('Requesting changes…'), view: sidebar },
      (options?: { confirm?: boolean; comment?: string }) =>
        requestChanges(signoffModel, reviewSession, logger, {
          ...(options?.confirm === false ? { confirm: false } : {}),
          ...(typeof options?.comment === 'string' ? { comment: options.comment } : {}),
        }),
    ),
    [Commands.review]: once(
      Commands.review,
      { name: vscode.l10n.t('Review'), title: vscode.l10n.t('Opening the review…'), view: sidebar },
      (row?: unknown) => openReview(signoffModel, reviewSession, row),
    ),
    [Commands.markViewed]: (row?: unknown, viewed?: unknown) => markViewed(reviewSession, row, viewed !== false),
    [Commands.addReviewComment]: (target?: unknown, text?: unknown) =>
      addReviewComment(reviewSession, target, typeof text === 'string' ? text : undefined),
    [Commands.saveReviewComment]: (reply: vscode.CommentReply) => reviewSession.replyFromThread(reply),
    [Commands.fetchReviewRequests]: once(
      Commands.fetchReviewRequests,
      {
        name: vscode.l10n.t('Fetch Review Requests'),
        title: vscode.l10n.t('Fetching review requests…'),
        view: sidebar,
      },
      async (remote?: unknown) => {
        const fetched = await fetchReviewRequests(
          signoffModel,
          logger,
          typeof remote === 'string' ? remote : undefined,
        );
        await readPullRequest();
        return fetched;
      },
    ),
    [Commands.setGitLabToken]: () => gitlab.setToken(),
    [Commands.checkOutRequest]: once(
      Commands.checkOutRequest,
      { name: vscode.l10n.t('Check Out for Review'), title: vscode.l10n.t('Checking out the branch…'), view: sidebar },
      (entry?: InboxEntry | { kind: 'request'; entry: InboxEntry }) => checkOutRequest(signoffModel, logger, entry),
    ),
    [Commands.openCommitChange]: (change: CommitFileChange) => openCommitChange(change),
    [Commands.createStarterPolicy]: once(
      Commands.createStarterPolicy,
      {
        name: vscode.l10n.t('Create Starter Policy'),
        title: vscode.l10n.t('Creating the starter policy…'),
        view: sidebar,
      },
      async () => {
        const state = await signoffModel.refresh();
        const root = rootOf(state);
        if (!root)
          return void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder in a git repository first.'));
        await createStarterPolicy(root);
      },
    ),
    [Commands.openPolicyFile]: once(
      Commands.openPolicyFile,
      { name: vscode.l10n.t('Open Policy File'), title: vscode.l10n.t('Finding the policy file…'), view: sidebar },
      () => openPolicyFile(signoffModel),
    ),
    [Commands.addTrailersToCommitMessage]: once(
      Commands.addTrailersToCommitMessage,
      { name: vscode.l10n.t('Add AI Trailers'), title: vscode.l10n.t('Reading the staged AI lines…') },
      () => addTrailers(),
    ),
    [Commands.openAuditDashboard]: once(
      Commands.openAuditDashboard,
      {
        name: vscode.l10n.t('Open Audit Dashboard'),
        title: vscode.l10n.t('Auditing the branch history…'),
        view: sidebar,
      },
      () => dashboard.open(currentFolder(), settings.values.baseBranch || undefined),
    ),
  };
  for (const [id, handler] of Object.entries(handlers)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown));
  }

  const loading = typeof AI_PROVENANCE_BUNDLE_LOADING === 'number' ? AI_PROVENANCE_BUNDLE_LOADING : started;
  const activationMs = performance.now() - loading;
  const bundleLoadMs = started - loading;
  logger.info(`AI Provenance activated in ${activationMs.toFixed(1)} ms (${bundleLoadMs.toFixed(1)} ms loading it)`);
  return {
    version,
    activationMs,
    bundleLoadMs,
    acceptKeys: () => acceptKeys,
    summary: uri => (tracker.isTracked(uri.fsPath) ? tracker.engine.summary(uri.fsPath) : undefined),
    ready: () => tracker.ready(),
    flush: () => tracker.flush(),
    decorated: doc => decorations.rangesFor(doc),
    markHover: (doc, line) => decorations.hoverAt(doc, line),
    statusBarText: () => (statusBar.shown ? statusBar.item.text : undefined),
    hooksStatusText: () => (hooksStatus.shown ? hooksStatus.item.text : undefined),
    ingestAgentRecords: () => agentSpool.ingestAll(),
    profileChanges: () => tracker.profileChanges(),
    signoffState: () => signoffModel.refresh(),
    signoffRows: () => view.rows(),
    signoffWelcome: () => welcome.key,
    signoffRedraws: () => view.redraws,
    signoffRowCommands: () => view.rowCommands(),
    reviewMarks: doc => reviewSession.marksOf(doc),
    reviewComments: () => reviewSession.comments(),
    setGitHubTokenForTests: token => {
      github.tokenSource = () => Promise.resolve(token);
      github.quietTokenSource = () => Promise.resolve(token);
    },
  };
}

interface GitApiRepository {
  state: { onDidChange: vscode.Event<void> };
}
interface GitApi {
  repositories: GitApiRepository[];
  onDidOpenRepository: vscode.Event<GitApiRepository>;
}

/** Refreshes the sign-off model when a repository's HEAD, refs or index change (commit, checkout, fetch). */
async function watchGitRepositories(model: SignoffModel): Promise<vscode.Disposable> {
  const ext = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
  if (!ext) return new vscode.Disposable(() => undefined);
  const api = (ext.isActive ? ext.exports : await ext.activate()).getAPI(1);
  const subscriptions: vscode.Disposable[] = [];
  const follow = (repo: GitApiRepository): void =>
    void subscriptions.push(repo.state.onDidChange(() => model.schedule()));
  api.repositories.forEach(follow);
  subscriptions.push(
    api.onDidOpenRepository(repo => {
      follow(repo);
      model.schedule();
    }),
  );
  return vscode.Disposable.from(...subscriptions);
}

/** Stores what is pending, so a reload or shutdown loses no attribution. */
export function deactivate(): Promise<void> | undefined {
  const s = services;
  services = undefined;
  return s?.tracker.flush();
}
