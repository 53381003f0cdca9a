"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// src/action/main.ts
var main_exports = {};
__export(main_exports, {
  main: () => main,
  rangeOfEvent: () => rangeOfEvent,
  runAction: () => runAction
});
module.exports = __toCommonJS(main_exports);
var fs10 = require("node:fs");
var os8 = __lazyRequire("node:os");
var path13 = require("node:path");
var import_node_util = require("node:util");

// node_modules/@actions/core/lib/command.js
var os = __toESM(require("os"), 1);

// node_modules/@actions/core/lib/utils.js
function toCommandValue(input) {
  if (input === null || input === void 0) {
    return "";
  } else if (typeof input === "string" || input instanceof String) {
    return input;
  }
  return JSON.stringify(input);
}
function toCommandProperties(annotationProperties) {
  if (!Object.keys(annotationProperties).length) {
    return {};
  }
  return {
    title: annotationProperties.title,
    file: annotationProperties.file,
    line: annotationProperties.startLine,
    endLine: annotationProperties.endLine,
    col: annotationProperties.startColumn,
    endColumn: annotationProperties.endColumn
  };
}

// node_modules/@actions/core/lib/command.js
function issueCommand(command2, properties, message) {
  const cmd = new Command(command2, properties, message);
  process.stdout.write(cmd.toString() + os.EOL);
}
var CMD_STRING = "::";
var Command = class {
  constructor(command2, properties, message) {
    if (!command2) {
      command2 = "missing.command";
    }
    this.command = command2;
    this.properties = properties;
    this.message = message;
  }
  toString() {
    let cmdStr = CMD_STRING + this.command;
    if (this.properties && Object.keys(this.properties).length > 0) {
      cmdStr += " ";
      let first = true;
      for (const key in this.properties) {
        if (this.properties.hasOwnProperty(key)) {
          const val = this.properties[key];
          if (val) {
            if (first) {
              first = false;
            } else {
              cmdStr += ",";
            }
            cmdStr += `${key}=${escapeProperty(val)}`;
          }
        }
      }
    }
    cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
    return cmdStr;
  }
};
function escapeData(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// node_modules/@actions/core/lib/file-command.js
var crypto = __toESM(require("crypto"), 1);
var fs = __toESM(require("fs"), 1);
var os2 = __toESM(require("os"), 1);
function issueFileCommand(command2, message) {
  const filePath = process.env[`GITHUB_${command2}`];
  if (!filePath) {
    throw new Error(`Unable to find environment variable for file command ${command2}`);
  }
  if (!fs.existsSync(filePath)) {
    throw new Error(`Missing file at path: ${filePath}`);
  }
  fs.appendFileSync(filePath, `${toCommandValue(message)}${os2.EOL}`, {
    encoding: "utf8"
  });
}
function prepareKeyValueMessage(key, value) {
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  const convertedValue = toCommandValue(value);
  if (key.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  }
  if (convertedValue.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  }
  return `${key}<<${delimiter}${os2.EOL}${convertedValue}${os2.EOL}${delimiter}`;
}

// node_modules/@actions/core/lib/core.js
var os4 = __toESM(require("os"), 1);

// node_modules/@actions/core/lib/summary.js
var import_os = require("os");
var import_fs = require("fs");
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve6) {
      resolve6(value);
    });
  }
  return new (P || (P = Promise))(function(resolve6, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve6(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var { access, appendFile, writeFile } = import_fs.promises;
var SUMMARY_ENV_VAR = "GITHUB_STEP_SUMMARY";
var Summary = class {
  constructor() {
    this._buffer = "";
  }
  /**
   * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
   * Also checks r/w permissions.
   *
   * @returns step summary file path
   */
  filePath() {
    return __awaiter(this, void 0, void 0, function* () {
      if (this._filePath) {
        return this._filePath;
      }
      const pathFromEnv = process.env[SUMMARY_ENV_VAR];
      if (!pathFromEnv) {
        throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
      }
      try {
        yield access(pathFromEnv, import_fs.constants.R_OK | import_fs.constants.W_OK);
      } catch (_a2) {
        throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
      }
      this._filePath = pathFromEnv;
      return this._filePath;
    });
  }
  /**
   * Wraps content in an HTML tag, adding any HTML attributes
   *
   * @param {string} tag HTML tag to wrap
   * @param {string | null} content content within the tag
   * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
   *
   * @returns {string} content wrapped in HTML element
   */
  wrap(tag, content, attrs = {}) {
    const htmlAttrs = Object.entries(attrs).map(([key, value]) => ` ${key}="${value}"`).join("");
    if (!content) {
      return `<${tag}${htmlAttrs}>`;
    }
    return `<${tag}${htmlAttrs}>${content}</${tag}>`;
  }
  /**
   * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
   *
   * @param {SummaryWriteOptions} [options] (optional) options for write operation
   *
   * @returns {Promise<Summary>} summary instance
   */
  write(options) {
    return __awaiter(this, void 0, void 0, function* () {
      const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
      const filePath = yield this.filePath();
      const writeFunc = overwrite ? writeFile : appendFile;
      yield writeFunc(filePath, this._buffer, { encoding: "utf8" });
      return this.emptyBuffer();
    });
  }
  /**
   * Clears the summary buffer and wipes the summary file
   *
   * @returns {Summary} summary instance
   */
  clear() {
    return __awaiter(this, void 0, void 0, function* () {
      return this.emptyBuffer().write({ overwrite: true });
    });
  }
  /**
   * Returns the current summary buffer as a string
   *
   * @returns {string} string of summary buffer
   */
  stringify() {
    return this._buffer;
  }
  /**
   * If the summary buffer is empty
   *
   * @returns {boolen} true if the buffer is empty
   */
  isEmptyBuffer() {
    return this._buffer.length === 0;
  }
  /**
   * Resets the summary buffer without writing to summary file
   *
   * @returns {Summary} summary instance
   */
  emptyBuffer() {
    this._buffer = "";
    return this;
  }
  /**
   * Adds raw text to the summary buffer
   *
   * @param {string} text content to add
   * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
   *
   * @returns {Summary} summary instance
   */
  addRaw(text, addEOL = false) {
    this._buffer += text;
    return addEOL ? this.addEOL() : this;
  }
  /**
   * Adds the operating system-specific end-of-line marker to the buffer
   *
   * @returns {Summary} summary instance
   */
  addEOL() {
    return this.addRaw(import_os.EOL);
  }
  /**
   * Adds an HTML codeblock to the summary buffer
   *
   * @param {string} code content to render within fenced code block
   * @param {string} lang (optional) language to syntax highlight code
   *
   * @returns {Summary} summary instance
   */
  addCodeBlock(code, lang) {
    const attrs = Object.assign({}, lang && { lang });
    const element = this.wrap("pre", this.wrap("code", code), attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML list to the summary buffer
   *
   * @param {string[]} items list of items to render
   * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
   *
   * @returns {Summary} summary instance
   */
  addList(items, ordered = false) {
    const tag = ordered ? "ol" : "ul";
    const listItems = items.map((item) => this.wrap("li", item)).join("");
    const element = this.wrap(tag, listItems);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML table to the summary buffer
   *
   * @param {SummaryTableCell[]} rows table rows
   *
   * @returns {Summary} summary instance
   */
  addTable(rows) {
    const tableBody = rows.map((row) => {
      const cells = row.map((cell) => {
        if (typeof cell === "string") {
          return this.wrap("td", cell);
        }
        const { header, data, colspan, rowspan } = cell;
        const tag = header ? "th" : "td";
        const attrs = Object.assign(Object.assign({}, colspan && { colspan }), rowspan && { rowspan });
        return this.wrap(tag, data, attrs);
      }).join("");
      return this.wrap("tr", cells);
    }).join("");
    const element = this.wrap("table", tableBody);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds a collapsable HTML details element to the summary buffer
   *
   * @param {string} label text for the closed state
   * @param {string} content collapsable content
   *
   * @returns {Summary} summary instance
   */
  addDetails(label, content) {
    const element = this.wrap("details", this.wrap("summary", label) + content);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML image tag to the summary buffer
   *
   * @param {string} src path to the image you to embed
   * @param {string} alt text description of the image
   * @param {SummaryImageOptions} options (optional) addition image attributes
   *
   * @returns {Summary} summary instance
   */
  addImage(src, alt, options) {
    const { width, height } = options || {};
    const attrs = Object.assign(Object.assign({}, width && { width }), height && { height });
    const element = this.wrap("img", null, Object.assign({ src, alt }, attrs));
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML section heading element
   *
   * @param {string} text heading text
   * @param {number | string} [level=1] (optional) the heading level, default: 1
   *
   * @returns {Summary} summary instance
   */
  addHeading(text, level) {
    const tag = `h${level}`;
    const allowedTag = ["h1", "h2", "h3", "h4", "h5", "h6"].includes(tag) ? tag : "h1";
    const element = this.wrap(allowedTag, text);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML thematic break (<hr>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addSeparator() {
    const element = this.wrap("hr", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML line break (<br>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addBreak() {
    const element = this.wrap("br", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML blockquote to the summary buffer
   *
   * @param {string} text quote text
   * @param {string} cite (optional) citation url
   *
   * @returns {Summary} summary instance
   */
  addQuote(text, cite) {
    const attrs = Object.assign({}, cite && { cite });
    const element = this.wrap("blockquote", text, attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML anchor tag to the summary buffer
   *
   * @param {string} text link text/content
   * @param {string} href hyperlink
   *
   * @returns {Summary} summary instance
   */
  addLink(text, href) {
    const element = this.wrap("a", text, { href });
    return this.addRaw(element).addEOL();
  }
};
var _summary = new Summary();
var summary = _summary;

// node_modules/@actions/core/lib/platform.js
var import_os2 = __toESM(require("os"), 1);

// node_modules/@actions/io/lib/io-util.js
var fs2 = __toESM(require("fs"), 1);
var { chmod, copyFile, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, symlink, unlink } = fs2.promises;
var IS_WINDOWS = process.platform === "win32";
var READONLY = fs2.constants.O_RDONLY;

// node_modules/@actions/exec/lib/toolrunner.js
var IS_WINDOWS2 = process.platform === "win32";

// node_modules/@actions/core/lib/platform.js
var platform = import_os2.default.platform();
var arch = import_os2.default.arch();

// node_modules/@actions/core/lib/core.js
var ExitCode;
(function(ExitCode2) {
  ExitCode2[ExitCode2["Success"] = 0] = "Success";
  ExitCode2[ExitCode2["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
function getInput(name, options) {
  const val = process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "";
  if (options && options.required && !val) {
    throw new Error(`Input required and not supplied: ${name}`);
  }
  if (options && options.trimWhitespace === false) {
    return val;
  }
  return val.trim();
}
function setOutput(name, value) {
  const filePath = process.env["GITHUB_OUTPUT"] || "";
  if (filePath) {
    return issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
  }
  process.stdout.write(os4.EOL);
  issueCommand("set-output", { name }, toCommandValue(value));
}
function setFailed(message) {
  process.exitCode = ExitCode.Failure;
  error(message);
}
function debug(message) {
  issueCommand("debug", {}, message);
}
function error(message, properties = {}) {
  issueCommand("error", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function warning(message, properties = {}) {
  issueCommand("warning", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}

// src/core/errors.ts
var USAGE_EXIT = 2;
var ENVIRONMENT_EXIT = 3;
function cliFailure(error2) {
  if (!(error2 instanceof Error)) return void 0;
  const code = error2.cliExitCode;
  return code === USAGE_EXIT || code === ENVIRONMENT_EXIT ? error2 : void 0;
}

// src/core/product.ts
var PRODUCT = {
  /** The CLI's command name. */
  cli: "ai-provenance",
  /** The npm package that installs the CLI (`ai-provenance` on the registry is another project's). */
  npmPackage: "ai-provenance-cli",
  /** The project's home (package.json homepage, without the fragment). */
  homepage: "https://github.com/ai-provenance/ai-provenance",
  displayName: "AI Provenance",
  /** Folder under `git rev-parse --git-path` that holds per-worktree local state. */
  stateDirName: "ai-provenance",
  /** Repository policy folder (committed). */
  policyDir: ".ai-provenance",
  notesRef: "refs/notes/ai-provenance"
};

// src/io/git/repository.ts
var fs3 = require("node:fs");
var path = require("node:path");

// src/core/log.ts
var nullLogger = {
  trace() {
  },
  debug() {
  },
  info() {
  },
  warn() {
  },
  error() {
  }
};

// src/io/process/run.ts
var childProcess;
function loadChildProcess() {
  return childProcess ??= require("node:child_process");
}
var DEFAULT_TIMEOUT_MS = 10 * 60 * 1e3;
var ProcessError = class _ProcessError extends Error {
  constructor(program, args, exitCode, stderr, cwd, reason, cause) {
    super(_ProcessError.describe(program, args, exitCode, stderr, reason), cause === void 0 ? void 0 : { cause });
    this.program = program;
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
    this.cwd = cwd;
    this.reason = reason;
  }
  program;
  args;
  exitCode;
  stderr;
  cwd;
  reason;
  name = "ProcessError";
  cliExitCode = ENVIRONMENT_EXIT;
  get timedOut() {
    return this.reason === "timeout";
  }
  static describe(program, args, exitCode, stderr, reason) {
    const what = `${program} ${args.join(" ")}`.trim();
    const said = stderr.trim().split("\n").filter(Boolean).slice(0, 3).join(" / ");
    switch (reason) {
      case "exit":
        return `${what} failed (exit ${exitCode})${said ? `: ${said}` : ""}`;
      case "not-found":
        return `${program} was not found: install it and make sure it is on PATH`;
      case "timeout":
        return `${what} timed out and was stopped`;
      case "killed":
        return `${what} was killed${said ? `: ${said}` : ""}`;
      case "failed":
        return `${what} could not run${said ? `: ${said}` : ""}`;
    }
  }
};
function runProcess(program, args, options = {}) {
  const logger = options.logger ?? nullLogger;
  const ok = options.okExitCodes ?? [0];
  const encoding = options.encoding ?? "utf8";
  logger.trace(`${program} ${args.join(" ")}${options.cwd ? ` (in ${options.cwd})` : ""}`);
  return new Promise((resolve6, reject) => {
    const child = loadChildProcess().execFile(
      program,
      [...args],
      {
        ...options.cwd !== void 0 ? { cwd: options.cwd } : {},
        env: options.env ?? process.env,
        encoding,
        maxBuffer: options.maxBuffer ?? 1024 * 1024 * 1024,
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        killSignal: "SIGKILL",
        windowsHide: true
      },
      (error2, stdout, stderrRaw) => {
        const stderr = typeof stderrRaw === "string" ? stderrRaw : stderrRaw.toString("utf8");
        if (!error2) return resolve6({ stdout, stderr, exitCode: 0 });
        const code = typeof error2.code === "number" ? error2.code : null;
        if (code !== null && (ok === "any" || ok.includes(code))) return resolve6({ stdout, stderr, exitCode: code });
        const reason = code !== null ? "exit" : error2.code === "ENOENT" ? "not-found" : error2.killed && error2.signal === "SIGKILL" ? "timeout" : error2.signal ? "killed" : "failed";
        reject(
          new ProcessError(
            program,
            args,
            code,
            stderr || (code === null ? error2.message : ""),
            options.cwd,
            reason,
            error2
          )
        );
      }
    );
    child.stdin?.on("error", (error2) => logger.debug(`${program}: stdin not fully read (${error2.message})`));
    child.stdin?.end(options.input ?? "");
  });
}
function startProcess(program, args, options, handlers) {
  const logger = options.logger ?? nullLogger;
  logger.trace(`${program} ${args.join(" ")}${options.cwd ? ` (in ${options.cwd})` : ""} (kept running)`);
  const child = loadChildProcess().spawn(program, [...args], {
    ...options.cwd !== void 0 ? { cwd: options.cwd } : {},
    env: options.env ?? process.env,
    stdio: ["pipe", "pipe", "pipe"],
    windowsHide: true
  });
  let stderr = "";
  let gone = false;
  let killed = false;
  const finish = (code, reason, cause) => {
    if (gone) return;
    gone = true;
    handlers.onExit(new ProcessError(program, args, code, stderr, options.cwd, reason, cause));
  };
  child.stdout.on("data", (chunk) => handlers.onData(chunk));
  child.stderr.on("data", (chunk) => stderr = (stderr + chunk.toString("utf8")).slice(-4096));
  child.stdin.on("error", (error2) => {
    logger.debug(`${program}: stdin not fully read (${error2.message})`);
    handlers.onInputError?.(error2);
  });
  child.on(
    "error",
    (error2) => finish(null, error2.code === "ENOENT" ? "not-found" : "failed", error2)
  );
  child.on(
    "close",
    (code, signal) => finish(code, code !== null ? "exit" : killed ? "timeout" : signal ? "killed" : "failed")
  );
  const handles = [child, child.stdin, child.stdout, child.stderr];
  return {
    write: (data) => {
      if (gone || !child.stdin.writable) return false;
      child.stdin.write(data);
      return true;
    },
    end: () => {
      if (child.stdin.writable) child.stdin.end();
    },
    kill: () => {
      killed = true;
      child.kill("SIGKILL");
    },
    hold: (held) => {
      for (const h of handles) {
        if (held) h.ref?.();
        else h.unref?.();
      }
    }
  };
}

// src/io/git/git.ts
var GitError = class _GitError extends Error {
  constructor(args, exitCode, stderr, cwd, cause) {
    super(_GitError.describe(args, exitCode, stderr, cause), cause === void 0 ? void 0 : { cause });
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
    this.cwd = cwd;
  }
  args;
  exitCode;
  stderr;
  cwd;
  name = "GitError";
  cliExitCode = ENVIRONMENT_EXIT;
  /** True when git itself could not be run (not installed, or the folder does not exist), or was stopped. */
  get notRunnable() {
    return this.exitCode === null;
  }
  /** True when git ran past its timeout and was stopped. */
  get timedOut() {
    return this.cause instanceof ProcessError && this.cause.timedOut;
  }
  static describe(args, exitCode, stderr, cause) {
    const what = `git ${args.join(" ")}`;
    if (cause instanceof ProcessError && cause.timedOut) return `${what} timed out and was stopped`;
    const said = stderr.trim().split("\n").filter(Boolean).slice(0, 3).join(" / ");
    return exitCode === null ? `${what} could not run${said ? `: ${said}` : ""}` : `${what} failed (exit ${exitCode})${said ? `: ${said}` : ""}`;
  }
};
var GIT_TIMEOUT_MS = DEFAULT_TIMEOUT_MS;
var FIXED_CONFIG = ["-c", "core.quotepath=false", "-c", "color.ui=false", "-c", "core.pager=cat"];
function fixedEnv(extra) {
  const env = {
    ...process.env,
    LC_ALL: "C",
    LANG: "C",
    GCM_INTERACTIVE: "NEVER",
    GIT_TERMINAL_PROMPT: "0",
    // refs/replace can make a commit look like another one: provenance and sign-offs are about the real objects.
    GIT_NO_REPLACE_OBJECTS: "1"
  };
  delete env.GIT_PAGER;
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === void 0) delete env[key];
    else env[key] = value;
  }
  return env;
}
function gitError(args, cwd, error2) {
  if (!(error2 instanceof ProcessError)) return error2;
  return new GitError(
    args,
    error2.exitCode,
    error2.reason === "exit" ? error2.stderr : error2.stderr || error2.message,
    cwd,
    error2
  );
}
async function runGit(args, options) {
  options.logger?.trace(`git ${args.join(" ")} (in ${options.cwd})`);
  try {
    return await runProcess("git", [...FIXED_CONFIG, ...args], {
      cwd: options.cwd,
      env: fixedEnv(options.env),
      input: options.input,
      okExitCodes: options.okExitCodes,
      timeoutMs: options.timeoutMs ?? GIT_TIMEOUT_MS,
      // Logged above without the fixed options, as the person would type it.
      logger: void 0
    });
  } catch (error2) {
    throw gitError(args, options.cwd, error2);
  }
}
async function git(args, options) {
  const { stdout } = await runGit(args, options);
  return stdout.endsWith("\n") ? stdout.slice(0, -1) : stdout;
}
function startGit(args, options, handlers) {
  options.logger?.trace(`git ${args.join(" ")} (in ${options.cwd}, kept running)`);
  return startProcess(
    "git",
    [...FIXED_CONFIG, ...args],
    { cwd: options.cwd, env: fixedEnv(options.env) },
    { onData: handlers.onData, onExit: (error2) => handlers.onExit(gitError(args, options.cwd, error2)) }
  );
}
function pipeGit(first, second, options) {
  options.logger?.trace(`git ${first.join(" ")} | git ${second.join(" ")} (in ${options.cwd})`);
  return new Promise((resolve6, reject) => {
    const firstOut = [];
    const secondOut = [];
    let failed = false;
    let running = 2;
    const fail = (error2) => {
      if (failed) return;
      failed = true;
      clearTimeout(timer);
      a.kill();
      b.kill();
      reject(error2);
    };
    const exited = (args) => (error2) => {
      if (!(error2 instanceof ProcessError) || error2.exitCode !== 0) return fail(gitError(args, options.cwd, error2));
      if (args === first) b.end();
      if (--running > 0 || failed) return;
      clearTimeout(timer);
      try {
        resolve6({ first: Buffer.concat(firstOut), second: Buffer.concat(secondOut).toString("utf8") });
      } catch (error3) {
        reject(error3);
      }
    };
    const run = { cwd: options.cwd, env: fixedEnv(options.env) };
    const unread = (error2) => fail(
      gitError(
        second,
        options.cwd,
        new ProcessError("git", second, null, error2?.message ?? "input not read", options.cwd, "failed", error2)
      )
    );
    const b = startProcess("git", [...FIXED_CONFIG, ...second], run, {
      onData: (chunk) => void secondOut.push(chunk),
      onExit: exited(second),
      onInputError: unread
    });
    const a = startProcess("git", [...FIXED_CONFIG, ...first], run, {
      onData: (chunk) => {
        firstOut.push(chunk);
        if (!b.write(chunk)) unread();
      },
      onExit: exited(first)
    });
    const timer = setTimeout(
      () => fail(gitError(first, options.cwd, new ProcessError("git", first, null, "", options.cwd, "timeout"))),
      options.timeoutMs ?? GIT_TIMEOUT_MS
    );
    if (options.input !== void 0) a.write(options.input);
    a.end();
  });
}

// src/io/git/repository.ts
var NotARepositoryError = class extends Error {
  constructor(folder, cause) {
    super(`${folder} is not inside a git work tree: run this from a repository, or point at one with -C DIR`, {
      cause
    });
    this.folder = folder;
  }
  folder;
  cliExitCode = ENVIRONMENT_EXIT;
  name = "NotARepositoryError";
};
async function locateRepository(cwd, options = {}) {
  let out;
  try {
    out = await git(["rev-parse", "--show-toplevel", "--git-path", PRODUCT.stateDirName], { ...options, cwd });
  } catch (error2) {
    if (error2 instanceof GitError && !error2.notRunnable) throw new NotARepositoryError(cwd, error2);
    throw error2;
  }
  const [root, gitPath] = out.split("\n");
  if (!root || !gitPath) throw new NotARepositoryError(cwd);
  let physical = cwd;
  try {
    physical = fs3.realpathSync(cwd);
  } catch {
  }
  return { root, stateDir: path.resolve(physical, gitPath) };
}

// src/io/review/base-policy.ts
var fsp = __lazyRequire("node:fs/promises");
var path5 = require("node:path");

// node_modules/balanced-match/dist/esm/index.js
var range = (a, b, str) => {
  let begs, beg, left, right = void 0, result;
  let ai = str.indexOf(a);
  let bi = str.indexOf(b, ai + 1);
  let i = ai;
  if (ai >= 0 && bi > 0) {
    if (a === b) {
      return [ai, bi];
    }
    begs = [];
    left = str.length;
    while (i >= 0 && !result) {
      if (i === ai) {
        begs.push(i);
        ai = str.indexOf(a, i + 1);
      } else if (begs.length === 1) {
        const r = begs.pop();
        if (r !== void 0)
          result = [r, bi];
      } else {
        beg = begs.pop();
        if (beg !== void 0 && beg < left) {
          left = beg;
          right = bi;
        }
        bi = str.indexOf(b, i + 1);
      }
      i = ai < bi && ai >= 0 ? ai : bi;
    }
    if (begs.length && right !== void 0) {
      result = [left, right];
    }
  }
  return result;
};

// node_modules/brace-expansion/dist/esm/index.js
var escSlash = "\0SLASH" + Math.random().toFixed(16) + "\0";
var escOpen = "\0OPEN" + Math.random().toFixed(16) + "\0";
var escClose = "\0CLOSE" + Math.random().toFixed(16) + "\0";
var escComma = "\0COMMA" + Math.random().toFixed(16) + "\0";
var escPeriod = "\0PERIOD" + Math.random().toFixed(16) + "\0";
var escSlashPattern = new RegExp(escSlash, "g");
var escOpenPattern = new RegExp(escOpen, "g");
var escClosePattern = new RegExp(escClose, "g");
var escCommaPattern = new RegExp(escComma, "g");
var escPeriodPattern = new RegExp(escPeriod, "g");
var slashPattern = /\\\\/g;
var openPattern = /\\{/g;
var closePattern = /\\}/g;
var commaPattern = /\\,/g;
var periodPattern = /\\\./g;
var EXPANSION_MAX = 1e5;
var EXPANSION_MAX_LENGTH = 4e6;
var EXPANSION_MAX_DEPTH = 1e3;
var EXPANSION_MAX_REWRITES = 1e3;
var EXPANSION_MAX_STEPS = 2e7;
var CALL_STEPS = 16;
function numeric(str) {
  return !isNaN(str) ? parseInt(str, 10) : str.charCodeAt(0);
}
function escapeBraces(str) {
  return str.replace(slashPattern, escSlash).replace(openPattern, escOpen).replace(closePattern, escClose).replace(commaPattern, escComma).replace(periodPattern, escPeriod);
}
function unescapeBraces(str) {
  return str.replace(escSlashPattern, "\\").replace(escOpenPattern, "{").replace(escClosePattern, "}").replace(escCommaPattern, ",").replace(escPeriodPattern, ".");
}
function pushAll(target, items) {
  for (let i = 0; i < items.length; i++) {
    target.push(items[i]);
  }
}
function balancedWithBudget(str, masked, budget) {
  if (budget.remaining < 0) {
    return void 0;
  }
  const r = range("{", "}", masked);
  const unmatched = r !== void 0 && masked.indexOf("{") < r[0];
  budget.remaining -= r && !unmatched ? r[1] + 1 : str.length;
  if (!r || budget.remaining < 0) {
    return void 0;
  }
  return {
    end: r[1],
    pre: str.slice(0, r[0]),
    body: str.slice(r[0] + 1, r[1]),
    post: str.slice(r[1] + 1),
    unmatched
  };
}
function maskUnmatchedOpens(masked, budget) {
  budget.remaining -= masked.length;
  const open3 = [];
  for (let i = 0; i < masked.length; i++) {
    const c = masked.charCodeAt(i);
    if (c === 123) {
      open3.push(i);
    } else if (c === 125 && open3.length) {
      open3.pop();
    }
  }
  let out = "";
  let last = 0;
  for (let i = 0; i < open3.length; i++) {
    const at = open3[i];
    out += masked.slice(last, at) + "\0";
    last = at + 1;
  }
  return out + masked.slice(last);
}
function commaSetFollows(str, budget) {
  budget.remaining -= str.length;
  if (budget.remaining < 0) {
    return false;
  }
  let close = false;
  for (let i = str.length - 1; i >= 0; i--) {
    const c = str.charCodeAt(i);
    if (c === 125) {
      close = true;
    } else if (c === 10 || c === 13 || c === 8232 || c === 8233) {
      close = false;
    } else if (c === 44 && close && str.charCodeAt(i + 1) !== 44) {
      return true;
    }
  }
  return false;
}
function parseCommaParts(str, budget) {
  const parts = [];
  let carry = "";
  for (; ; ) {
    const m = balancedWithBudget(str, str, budget);
    if (budget.remaining < 0) {
      return void 0;
    }
    if (!m) {
      const tail = str.split(",");
      tail[0] = carry + tail[0];
      pushAll(parts, tail);
      return parts;
    }
    const { pre, body, post } = m;
    const p = pre.split(",");
    p[0] = carry + p[0];
    p[p.length - 1] += "{" + body + "}";
    if (!post.length) {
      pushAll(parts, p);
      return parts;
    }
    carry = p.pop();
    pushAll(parts, p);
    str = post;
  }
}
function bound(value, fallback) {
  return value === void 0 || isNaN(value) ? fallback : value;
}
function expand(str, options = {}) {
  if (!str) {
    return [];
  }
  const max = bound(options.max, EXPANSION_MAX);
  const maxLength = bound(options.maxLength, EXPANSION_MAX_LENGTH);
  const maxDepth = bound(options.maxDepth, EXPANSION_MAX_DEPTH);
  const maxRewrites = bound(options.maxRewrites, EXPANSION_MAX_REWRITES);
  const maxSteps = bound(options.maxSteps, EXPANSION_MAX_STEPS);
  if (str.slice(0, 2) === "{}") {
    str = "\\{\\}" + str.slice(2);
  }
  return expand_(escapeBraces(str), max, maxLength, maxDepth, 0, maxRewrites, { remaining: maxSteps }, true).map(unescapeBraces);
}
function embrace(str) {
  return "{" + str + "}";
}
function isPadded(el) {
  return /^-?0\d/.test(el);
}
function lte(i, y) {
  return i <= y;
}
function gte(i, y) {
  return i >= y;
}
function combine(acc, pre, values, max, maxLength, dropEmpties, budget) {
  const out = [];
  let length = 0;
  let nonEmpty;
  outer: for (let a = 0; a < acc.length; a++) {
    const prefix = acc[a] + pre;
    let vs = values;
    if (dropEmpties && !prefix) {
      if (!nonEmpty)
        nonEmpty = values.filter((v) => v);
      vs = nonEmpty;
    }
    for (let v = 0; v < vs.length; v++) {
      if (out.length >= max)
        break outer;
      const expansion = prefix + vs[v];
      if (length + expansion.length > maxLength)
        break outer;
      out.push(expansion);
      length += expansion.length;
    }
  }
  budget.remaining -= out.length;
  return out;
}
function expandSequence(body, isAlphaSequence, max, maxLength, budget) {
  const n = body.split(/\.\./);
  const N = [];
  if (n[0] === void 0 || n[1] === void 0) {
    return N;
  }
  const x = numeric(n[0]);
  const y = numeric(n[1]);
  const width = Math.max(n[0].length, n[1].length);
  let incr = n.length === 3 && n[2] !== void 0 ? Math.max(Math.abs(numeric(n[2])), 1) : 1;
  let test = lte;
  const reverse = y < x;
  if (reverse) {
    incr *= -1;
    test = gte;
  }
  const pad = n.some(isPadded);
  const cost = pad ? width : 1;
  let length = 0;
  for (let i = x; test(i, y) && N.length < max; i += incr) {
    budget.remaining -= cost;
    if (budget.remaining < 0) {
      return void 0;
    }
    let c;
    if (isAlphaSequence) {
      c = String.fromCharCode(i);
      if (c === "\\") {
        c = "";
      }
    } else {
      c = String(i);
      if (pad) {
        const need = width - c.length;
        if (need > 0) {
          const z = new Array(need + 1).join("0");
          if (i < 0) {
            c = "-" + z + c.slice(1);
          } else {
            c = z + c;
          }
        }
      }
    }
    if (length + c.length > maxLength)
      break;
    N.push(c);
    length += c.length;
  }
  return N;
}
function expand_(str, max, maxLength, maxDepth, depth, maxRewrites, budget, isTop) {
  budget.remaining -= CALL_STEPS;
  if (depth > maxDepth) {
    return [str];
  }
  let acc = [""];
  let rewrites = 0;
  let dropEmpties = false;
  let firstGroup = true;
  let masked = str;
  for (; ; ) {
    const m = balancedWithBudget(str, masked, budget);
    if (!m) {
      return combine(acc, str, [""], max, maxLength, dropEmpties, budget);
    }
    if (m.unmatched) {
      masked = maskUnmatchedOpens(masked, budget);
    }
    const pre = m.pre;
    const literal = () => combine(acc, pre + "{" + m.body + "}" + m.post, [""], max, maxLength, dropEmpties, budget);
    if (/\$$/.test(pre)) {
      acc = combine(acc, pre + "{" + m.body + "}", [""], max, maxLength, dropEmpties && !m.post.length, budget);
      firstGroup = false;
      if (!m.post.length)
        break;
      str = m.post;
      masked = masked.slice(m.end + 1);
      continue;
    }
    const isNumericSequence = /^-?\d+\.\.-?\d+(?:\.\.-?\d+)?$/.test(m.body);
    const isAlphaSequence = /^[a-zA-Z]\.\.[a-zA-Z](?:\.\.-?\d+)?$/.test(m.body);
    const isSequence = isNumericSequence || isAlphaSequence;
    const isOptions = m.body.indexOf(",") >= 0;
    if (!isSequence && !isOptions) {
      if (rewrites < maxRewrites && commaSetFollows(m.post, budget)) {
        rewrites++;
        str = m.pre + "{" + m.body + escClose + m.post;
        masked = masked.slice(0, m.end) + escClose + masked.slice(m.end + 1);
        isTop = true;
        continue;
      }
      return literal();
    }
    if (firstGroup) {
      dropEmpties = isTop && !isSequence;
      firstGroup = false;
    }
    let values;
    if (isSequence) {
      values = expandSequence(m.body, isAlphaSequence, max, maxLength, budget);
      if (!values) {
        return literal();
      }
    } else {
      let n = parseCommaParts(m.body, budget);
      if (!n) {
        return literal();
      }
      if (n.length === 1 && n[0] !== void 0) {
        n = expand_(n[0], max, maxLength, maxDepth, depth + 1, maxRewrites, budget, false).map(embrace);
        if (budget.remaining < 0) {
          return literal();
        }
        if (n.length === 1) {
          const next2 = combine(acc, pre + n[0], [""], max, maxLength, dropEmpties && !m.post.length, budget);
          if (budget.remaining < 0) {
            return literal();
          }
          acc = next2;
          if (!m.post.length)
            break;
          str = m.post;
          masked = masked.slice(m.end + 1);
          continue;
        }
      }
      let dropsEmpties = dropEmpties && !m.post.length && !pre;
      for (let d = 0; dropsEmpties && d < acc.length; d++) {
        if (acc[d]) {
          dropsEmpties = false;
        }
      }
      values = [];
      let valuesLength = 0;
      outer: for (let j = 0; j < n.length; j++) {
        const expanded = expand_(n[j], max, maxLength, maxDepth, depth + 1, maxRewrites, budget, false);
        if (budget.remaining < 0) {
          return literal();
        }
        for (let k = 0; k < expanded.length; k++) {
          const v = expanded[k];
          if (dropsEmpties && !v)
            continue;
          if (values.length >= max || valuesLength + v.length > maxLength) {
            break outer;
          }
          values.push(v);
          valuesLength += v.length;
        }
      }
    }
    const next = combine(acc, pre, values, max, maxLength, dropEmpties && !m.post.length, budget);
    if (budget.remaining < 0) {
      return literal();
    }
    acc = next;
    if (!m.post.length)
      break;
    str = m.post;
    masked = masked.slice(m.end + 1);
  }
  return acc;
}

// node_modules/minimatch/dist/esm/assert-valid-pattern.js
var MAX_PATTERN_LENGTH = 1024 * 64;
var assertValidPattern = (pattern) => {
  if (typeof pattern !== "string") {
    throw new TypeError("invalid pattern");
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new TypeError("pattern is too long");
  }
};

// node_modules/minimatch/dist/esm/brace-expressions.js
var posixClasses = {
  "[:alnum:]": ["\\p{L}\\p{Nl}\\p{Nd}", true],
  "[:alpha:]": ["\\p{L}\\p{Nl}", true],
  "[:ascii:]": ["\\x00-\\x7f", false],
  "[:blank:]": ["\\p{Zs}\\t", true],
  "[:cntrl:]": ["\\p{Cc}", true],
  "[:digit:]": ["\\p{Nd}", true],
  "[:graph:]": ["\\p{Z}\\p{C}", true, true],
  "[:lower:]": ["\\p{Ll}", true],
  "[:print:]": ["\\p{C}", true],
  "[:punct:]": ["\\p{P}", true],
  "[:space:]": ["\\p{Z}\\t\\r\\n\\v\\f", true],
  "[:upper:]": ["\\p{Lu}", true],
  "[:word:]": ["\\p{L}\\p{Nl}\\p{Nd}\\p{Pc}", true],
  "[:xdigit:]": ["A-Fa-f0-9", false]
};
var braceEscape = (s) => s.replace(/[[\]\\-]/g, "\\$&");
var regexpEscape = (s) => s.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, "\\$&");
var rangesToString = (ranges) => ranges.join("");
var parseClass = (glob, position) => {
  const pos = position;
  if (glob.charAt(pos) !== "[") {
    throw new Error("not in a brace expression");
  }
  const ranges = [];
  const negs = [];
  let i = pos + 1;
  let sawStart = false;
  let uflag = false;
  let escaping = false;
  let negate = false;
  let endPos = pos;
  let rangeStart = "";
  WHILE: while (i < glob.length) {
    const c = glob.charAt(i);
    if ((c === "!" || c === "^") && i === pos + 1) {
      negate = true;
      i++;
      continue;
    }
    if (c === "]" && sawStart && !escaping) {
      endPos = i + 1;
      break;
    }
    sawStart = true;
    if (c === "\\") {
      if (!escaping) {
        escaping = true;
        i++;
        continue;
      }
    }
    if (c === "[" && !escaping) {
      for (const [cls, [unip, u, neg]] of Object.entries(posixClasses)) {
        if (glob.startsWith(cls, i)) {
          if (rangeStart) {
            return ["$.", false, glob.length - pos, true];
          }
          i += cls.length;
          if (neg)
            negs.push(unip);
          else
            ranges.push(unip);
          uflag = uflag || u;
          continue WHILE;
        }
      }
    }
    escaping = false;
    if (rangeStart) {
      if (c > rangeStart) {
        ranges.push(braceEscape(rangeStart) + "-" + braceEscape(c));
      } else if (c === rangeStart) {
        ranges.push(braceEscape(c));
      }
      rangeStart = "";
      i++;
      continue;
    }
    if (glob.startsWith("-]", i + 1)) {
      ranges.push(braceEscape(c + "-"));
      i += 2;
      continue;
    }
    if (glob.startsWith("-", i + 1)) {
      rangeStart = c;
      i += 2;
      continue;
    }
    ranges.push(braceEscape(c));
    i++;
  }
  if (endPos < i) {
    return ["", false, 0, false];
  }
  if (!ranges.length && !negs.length) {
    return ["$.", false, glob.length - pos, true];
  }
  if (negs.length === 0 && ranges.length === 1 && /^\\?.$/.test(ranges[0]) && !negate) {
    const r = ranges[0].length === 2 ? ranges[0].slice(-1) : ranges[0];
    return [regexpEscape(r), false, endPos - pos, false];
  }
  const sranges = "[" + (negate ? "^" : "") + rangesToString(ranges) + "]";
  const snegs = "[" + (negate ? "" : "^") + rangesToString(negs) + "]";
  const comb = ranges.length && negs.length ? "(" + sranges + "|" + snegs + ")" : ranges.length ? sranges : snegs;
  return [comb, uflag, endPos - pos, true];
};

// node_modules/minimatch/dist/esm/unescape.js
var unescape = (s, { windowsPathsNoEscape = false, magicalBraces = true } = {}) => {
  if (magicalBraces) {
    return windowsPathsNoEscape ? s.replace(/\[([^/\\])\]/g, "$1") : s.replace(/((?!\\).|^)\[([^/\\])\]/g, "$1$2").replace(/\\([^/])/g, "$1");
  }
  return windowsPathsNoEscape ? s.replace(/\[([^/\\{}])\]/g, "$1") : s.replace(/((?!\\).|^)\[([^/\\{}])\]/g, "$1$2").replace(/\\([^/{}])/g, "$1");
};

// node_modules/minimatch/dist/esm/ast.js
var _a;
var types = /* @__PURE__ */ new Set(["!", "?", "+", "*", "@"]);
var isExtglobType = (c) => types.has(c);
var isExtglobAST = (c) => isExtglobType(c.type);
var adoptionMap = /* @__PURE__ */ new Map([
  ["!", ["@"]],
  ["?", ["?", "@"]],
  ["@", ["@"]],
  ["*", ["*", "+", "?", "@"]],
  ["+", ["+", "@"]]
]);
var adoptionWithSpaceMap = /* @__PURE__ */ new Map([
  ["!", ["?"]],
  ["@", ["?"]],
  ["+", ["?", "*"]]
]);
var adoptionAnyMap = /* @__PURE__ */ new Map([
  ["!", ["?", "@"]],
  ["?", ["?", "@"]],
  ["@", ["?", "@"]],
  ["*", ["*", "+", "?", "@"]],
  ["+", ["+", "@", "?", "*"]]
]);
var usurpMap = /* @__PURE__ */ new Map([
  ["!", /* @__PURE__ */ new Map([["!", "@"]])],
  [
    "?",
    /* @__PURE__ */ new Map([
      ["*", "*"],
      ["+", "*"]
    ])
  ],
  [
    "@",
    /* @__PURE__ */ new Map([
      ["!", "!"],
      ["?", "?"],
      ["@", "@"],
      ["*", "*"],
      ["+", "+"]
    ])
  ],
  [
    "+",
    /* @__PURE__ */ new Map([
      ["?", "*"],
      ["*", "*"]
    ])
  ]
]);
var startNoTraversal = "(?!(?:^|/)\\.\\.?(?:$|/))";
var startNoDot = "(?!\\.)";
var addPatternStart = /* @__PURE__ */ new Set(["[", "."]);
var justDots = /* @__PURE__ */ new Set(["..", "."]);
var reSpecials = new Set("().*{}+?[]^$\\!");
var regExpEscape = (s) => s.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, "\\$&");
var qmark = "[^/]";
var star = qmark + "*?";
var starNoEmpty = qmark + "+?";
var ID = 0;
var AST = class {
  type;
  #root;
  #hasMagic;
  #uflag = false;
  #parts = [];
  #parent;
  #parentIndex;
  #negs;
  #filledNegs = false;
  #options;
  #toString;
  // set to true if it's an extglob with no children
  // (which really means one child of '')
  #emptyExt = false;
  id = ++ID;
  get depth() {
    return (this.#parent?.depth ?? -1) + 1;
  }
  [/* @__PURE__ */ Symbol.for("nodejs.util.inspect.custom")]() {
    return {
      "@@type": "AST",
      id: this.id,
      type: this.type,
      root: this.#root.id,
      parent: this.#parent?.id,
      depth: this.depth,
      partsLength: this.#parts.length,
      parts: this.#parts
    };
  }
  constructor(type, parent, options = {}) {
    this.type = type;
    if (type)
      this.#hasMagic = true;
    this.#parent = parent;
    this.#root = this.#parent ? this.#parent.#root : this;
    this.#options = this.#root === this ? options : this.#root.#options;
    this.#negs = this.#root === this ? [] : this.#root.#negs;
    if (type === "!" && !this.#root.#filledNegs)
      this.#negs.push(this);
    this.#parentIndex = this.#parent ? this.#parent.#parts.length : 0;
  }
  get hasMagic() {
    if (this.#hasMagic !== void 0)
      return this.#hasMagic;
    for (const p of this.#parts) {
      if (typeof p === "string")
        continue;
      if (p.type || p.hasMagic)
        return this.#hasMagic = true;
    }
    return this.#hasMagic;
  }
  // reconstructs the pattern
  toString() {
    return this.#toString !== void 0 ? this.#toString : !this.type ? this.#toString = this.#parts.map((p) => String(p)).join("") : this.#toString = this.type + "(" + this.#parts.map((p) => String(p)).join("|") + ")";
  }
  #fillNegs() {
    if (this !== this.#root)
      throw new Error("should only call on root");
    if (this.#filledNegs)
      return this;
    this.toString();
    this.#filledNegs = true;
    let n;
    while (n = this.#negs.pop()) {
      if (n.type !== "!")
        continue;
      let p = n;
      let pp = p.#parent;
      while (pp) {
        for (let i = p.#parentIndex + 1; !pp.type && i < pp.#parts.length; i++) {
          for (const part of n.#parts) {
            if (typeof part === "string") {
              throw new Error("string part in extglob AST??");
            }
            part.copyIn(pp.#parts[i]);
          }
        }
        p = pp;
        pp = p.#parent;
      }
    }
    return this;
  }
  push(...parts) {
    for (const p of parts) {
      if (p === "")
        continue;
      if (typeof p !== "string" && !(p instanceof _a && p.#parent === this)) {
        throw new Error("invalid part: " + p);
      }
      this.#parts.push(p);
    }
  }
  toJSON() {
    const ret = this.type === null ? this.#parts.slice().map((p) => typeof p === "string" ? p : p.toJSON()) : [this.type, ...this.#parts.map((p) => p.toJSON())];
    if (this.isStart() && !this.type)
      ret.unshift([]);
    if (this.isEnd() && (this === this.#root || this.#root.#filledNegs && this.#parent?.type === "!")) {
      ret.push({});
    }
    return ret;
  }
  isStart() {
    if (this.#root === this)
      return true;
    if (!this.#parent?.isStart())
      return false;
    if (this.#parentIndex === 0)
      return true;
    const p = this.#parent;
    for (let i = 0; i < this.#parentIndex; i++) {
      const pp = p.#parts[i];
      if (!(pp instanceof _a && pp.type === "!")) {
        return false;
      }
    }
    return true;
  }
  isEnd() {
    if (this.#root === this)
      return true;
    if (this.#parent?.type === "!")
      return true;
    if (!this.#parent?.isEnd())
      return false;
    if (!this.type)
      return this.#parent?.isEnd();
    const pl = this.#parent ? this.#parent.#parts.length : 0;
    return this.#parentIndex === pl - 1;
  }
  copyIn(part) {
    if (typeof part === "string")
      this.push(part);
    else
      this.push(part.clone(this));
  }
  clone(parent) {
    const c = new _a(this.type, parent);
    for (const p of this.#parts) {
      c.copyIn(p);
    }
    return c;
  }
  static #parseAST(str, ast, pos, opt, extDepth) {
    const maxDepth = opt.maxExtglobRecursion ?? 2;
    let escaping = false;
    let inBrace = false;
    let braceStart = -1;
    let braceNeg = false;
    if (ast.type === null) {
      let i2 = pos;
      let acc2 = "";
      while (i2 < str.length) {
        const c = str.charAt(i2++);
        if (escaping || c === "\\") {
          escaping = !escaping;
          acc2 += c;
          continue;
        }
        if (inBrace) {
          if (i2 === braceStart + 1) {
            if (c === "^" || c === "!") {
              braceNeg = true;
            }
          } else if (c === "]" && !(i2 === braceStart + 2 && braceNeg)) {
            inBrace = false;
          }
          acc2 += c;
          continue;
        } else if (c === "[") {
          inBrace = true;
          braceStart = i2;
          braceNeg = false;
          acc2 += c;
          continue;
        }
        const doRecurse = !opt.noext && isExtglobType(c) && str.charAt(i2) === "(" && extDepth <= maxDepth;
        if (doRecurse) {
          ast.push(acc2);
          acc2 = "";
          const ext2 = new _a(c, ast);
          i2 = _a.#parseAST(str, ext2, i2, opt, extDepth + 1);
          ast.push(ext2);
          continue;
        }
        acc2 += c;
      }
      ast.push(acc2);
      return i2;
    }
    let i = pos + 1;
    let part = new _a(null, ast);
    const parts = [];
    let acc = "";
    while (i < str.length) {
      const c = str.charAt(i++);
      if (escaping || c === "\\") {
        escaping = !escaping;
        acc += c;
        continue;
      }
      if (inBrace) {
        if (i === braceStart + 1) {
          if (c === "^" || c === "!") {
            braceNeg = true;
          }
        } else if (c === "]" && !(i === braceStart + 2 && braceNeg)) {
          inBrace = false;
        }
        acc += c;
        continue;
      } else if (c === "[") {
        inBrace = true;
        braceStart = i;
        braceNeg = false;
        acc += c;
        continue;
      }
      const doRecurse = !opt.noext && isExtglobType(c) && str.charAt(i) === "(" && /* c8 ignore start - the maxDepth is sufficient here */
      (extDepth <= maxDepth || ast && ast.#canAdoptType(c));
      if (doRecurse) {
        const depthAdd = ast && ast.#canAdoptType(c) ? 0 : 1;
        part.push(acc);
        acc = "";
        const ext2 = new _a(c, part);
        part.push(ext2);
        i = _a.#parseAST(str, ext2, i, opt, extDepth + depthAdd);
        continue;
      }
      if (c === "|") {
        part.push(acc);
        acc = "";
        parts.push(part);
        part = new _a(null, ast);
        continue;
      }
      if (c === ")") {
        if (acc === "" && ast.#parts.length === 0) {
          ast.#emptyExt = true;
        }
        part.push(acc);
        acc = "";
        ast.push(...parts, part);
        return i;
      }
      acc += c;
    }
    ast.type = null;
    ast.#hasMagic = void 0;
    ast.#parts = [str.substring(pos - 1)];
    return i;
  }
  #canAdoptWithSpace(child) {
    return this.#canAdopt(child, adoptionWithSpaceMap);
  }
  #canAdopt(child, map = adoptionMap) {
    if (!child || typeof child !== "object" || child.type !== null || child.#parts.length !== 1 || this.type === null) {
      return false;
    }
    const gc = child.#parts[0];
    if (!gc || typeof gc !== "object" || gc.type === null) {
      return false;
    }
    return this.#canAdoptType(gc.type, map);
  }
  #canAdoptType(c, map = adoptionAnyMap) {
    return !!map.get(this.type)?.includes(c);
  }
  #adoptWithSpace(child, index) {
    const gc = child.#parts[0];
    const blank = new _a(null, gc, this.options);
    blank.#parts.push("");
    gc.push(blank);
    this.#adopt(child, index);
  }
  #adopt(child, index) {
    const gc = child.#parts[0];
    this.#parts.splice(index, 1, ...gc.#parts);
    for (const p of gc.#parts) {
      if (typeof p === "object")
        p.#parent = this;
    }
    this.#toString = void 0;
  }
  #canUsurpType(c) {
    const m = usurpMap.get(this.type);
    return !!m?.has(c);
  }
  #canUsurp(child) {
    if (!child || typeof child !== "object" || child.type !== null || child.#parts.length !== 1 || this.type === null || this.#parts.length !== 1) {
      return false;
    }
    const gc = child.#parts[0];
    if (!gc || typeof gc !== "object" || gc.type === null) {
      return false;
    }
    return this.#canUsurpType(gc.type);
  }
  #usurp(child) {
    const m = usurpMap.get(this.type);
    const gc = child.#parts[0];
    const nt = m?.get(gc.type);
    if (!nt)
      return false;
    this.#parts = gc.#parts;
    for (const p of this.#parts) {
      if (typeof p === "object") {
        p.#parent = this;
      }
    }
    this.type = nt;
    this.#toString = void 0;
    this.#emptyExt = false;
  }
  static fromGlob(pattern, options = {}) {
    const ast = new _a(null, void 0, options);
    _a.#parseAST(pattern, ast, 0, options, 0);
    return ast;
  }
  // returns the regular expression if there's magic, or the unescaped
  // string if not.
  toMMPattern() {
    if (this !== this.#root)
      return this.#root.toMMPattern();
    const glob = this.toString();
    const [re, body, hasMagic, uflag] = this.toRegExpSource();
    const anyMagic = hasMagic || this.#hasMagic || this.#options.nocase && !this.#options.nocaseMagicOnly && glob.toUpperCase() !== glob.toLowerCase();
    if (!anyMagic) {
      return body;
    }
    const flags = (this.#options.nocase ? "i" : "") + (uflag ? "u" : "");
    return Object.assign(new RegExp(`^${re}$`, flags), {
      _src: re,
      _glob: glob
    });
  }
  get options() {
    return this.#options;
  }
  // returns the string match, the regexp source, whether there's magic
  // in the regexp (so a regular expression is required) and whether or
  // not the uflag is needed for the regular expression (for posix classes)
  // TODO: instead of injecting the start/end at this point, just return
  // the BODY of the regexp, along with the start/end portions suitable
  // for binding the start/end in either a joined full-path makeRe context
  // (where we bind to (^|/), or a standalone matchPart context (where
  // we bind to ^, and not /).  Otherwise slashes get duped!
  //
  // In part-matching mode, the start is:
  // - if not isStart: nothing
  // - if traversal possible, but not allowed: ^(?!\.\.?$)
  // - if dots allowed or not possible: ^
  // - if dots possible and not allowed: ^(?!\.)
  // end is:
  // - if not isEnd(): nothing
  // - else: $
  //
  // In full-path matching mode, we put the slash at the START of the
  // pattern, so start is:
  // - if first pattern: same as part-matching mode
  // - if not isStart(): nothing
  // - if traversal possible, but not allowed: /(?!\.\.?(?:$|/))
  // - if dots allowed or not possible: /
  // - if dots possible and not allowed: /(?!\.)
  // end is:
  // - if last pattern, same as part-matching mode
  // - else nothing
  //
  // Always put the (?:$|/) on negated tails, though, because that has to be
  // there to bind the end of the negated pattern portion, and it's easier to
  // just stick it in now rather than try to inject it later in the middle of
  // the pattern.
  //
  // We can just always return the same end, and leave it up to the caller
  // to know whether it's going to be used joined or in parts.
  // And, if the start is adjusted slightly, can do the same there:
  // - if not isStart: nothing
  // - if traversal possible, but not allowed: (?:/|^)(?!\.\.?$)
  // - if dots allowed or not possible: (?:/|^)
  // - if dots possible and not allowed: (?:/|^)(?!\.)
  //
  // But it's better to have a simpler binding without a conditional, for
  // performance, so probably better to return both start options.
  //
  // Then the caller just ignores the end if it's not the first pattern,
  // and the start always gets applied.
  //
  // But that's always going to be $ if it's the ending pattern, or nothing,
  // so the caller can just attach $ at the end of the pattern when building.
  //
  // So the todo is:
  // - better detect what kind of start is needed
  // - return both flavors of starting pattern
  // - attach $ at the end of the pattern when creating the actual RegExp
  //
  // Ah, but wait, no, that all only applies to the root when the first pattern
  // is not an extglob. If the first pattern IS an extglob, then we need all
  // that dot prevention biz to live in the extglob portions, because eg
  // +(*|.x*) can match .xy but not .yx.
  //
  // So, return the two flavors if it's #root and the first child is not an
  // AST, otherwise leave it to the child AST to handle it, and there,
  // use the (?:^|/) style of start binding.
  //
  // Even simplified further:
  // - Since the start for a join is eg /(?!\.) and the start for a part
  // is ^(?!\.), we can just prepend (?!\.) to the pattern (either root
  // or start or whatever) and prepend ^ or / at the Regexp construction.
  toRegExpSource(allowDot) {
    const dot = allowDot ?? !!this.#options.dot;
    if (this.#root === this) {
      this.#flatten();
      this.#fillNegs();
    }
    if (!isExtglobAST(this)) {
      const noEmpty = this.isStart() && this.isEnd() && !this.#parts.some((s) => typeof s !== "string");
      const src = this.#parts.map((p) => {
        const [re, _, hasMagic, uflag] = typeof p === "string" ? _a.#parseGlob(p, this.#hasMagic, noEmpty) : p.toRegExpSource(allowDot);
        this.#hasMagic = this.#hasMagic || hasMagic;
        this.#uflag = this.#uflag || uflag;
        return re;
      }).join("");
      let start2 = "";
      if (this.isStart()) {
        if (typeof this.#parts[0] === "string") {
          const dotTravAllowed = this.#parts.length === 1 && justDots.has(this.#parts[0]);
          if (!dotTravAllowed) {
            const aps = addPatternStart;
            const needNoTrav = (
              // dots are allowed, and the pattern starts with [ or .
              dot && aps.has(src.charAt(0)) || // the pattern starts with \., and then [ or .
              src.startsWith("\\.") && aps.has(src.charAt(2)) || // the pattern starts with \.\., and then [ or .
              src.startsWith("\\.\\.") && aps.has(src.charAt(4))
            );
            const needNoDot = !dot && !allowDot && aps.has(src.charAt(0));
            start2 = needNoTrav ? startNoTraversal : needNoDot ? startNoDot : "";
          }
        }
      }
      let end = "";
      if (this.isEnd() && this.#root.#filledNegs && this.#parent?.type === "!") {
        end = "(?:$|\\/)";
      }
      const final2 = start2 + src + end;
      return [
        final2,
        unescape(src),
        this.#hasMagic = !!this.#hasMagic,
        this.#uflag
      ];
    }
    const repeated = this.type === "*" || this.type === "+";
    const start = this.type === "!" ? "(?:(?!(?:" : "(?:";
    let body = this.#partsToRegExp(dot);
    if (this.isStart() && this.isEnd() && !body && this.type !== "!") {
      const s = this.toString();
      const me = this;
      me.#parts = [s];
      me.type = null;
      me.#hasMagic = void 0;
      return [s, unescape(this.toString()), false, false];
    }
    let bodyDotAllowed = !repeated || allowDot || dot || !startNoDot ? "" : this.#partsToRegExp(true);
    if (bodyDotAllowed === body) {
      bodyDotAllowed = "";
    }
    if (bodyDotAllowed) {
      body = `(?:${body})(?:${bodyDotAllowed})*?`;
    }
    let final = "";
    if (this.type === "!" && this.#emptyExt) {
      final = (this.isStart() && !dot ? startNoDot : "") + starNoEmpty;
    } else {
      const close = this.type === "!" ? (
        // !() must match something,but !(x) can match ''
        "))" + (this.isStart() && !dot && !allowDot ? startNoDot : "") + star + ")"
      ) : this.type === "@" ? ")" : this.type === "?" ? ")?" : this.type === "+" && bodyDotAllowed ? ")" : this.type === "*" && bodyDotAllowed ? `)?` : `)${this.type}`;
      final = start + body + close;
    }
    return [
      final,
      unescape(body),
      this.#hasMagic = !!this.#hasMagic,
      this.#uflag
    ];
  }
  #flatten() {
    if (!isExtglobAST(this)) {
      for (const p of this.#parts) {
        if (typeof p === "object") {
          p.#flatten();
        }
      }
    } else {
      let iterations = 0;
      let done = false;
      do {
        done = true;
        for (let i = 0; i < this.#parts.length; i++) {
          const c = this.#parts[i];
          if (typeof c === "object") {
            c.#flatten();
            if (this.#canAdopt(c)) {
              done = false;
              this.#adopt(c, i);
            } else if (this.#canAdoptWithSpace(c)) {
              done = false;
              this.#adoptWithSpace(c, i);
            } else if (this.#canUsurp(c)) {
              done = false;
              this.#usurp(c);
            }
          }
        }
      } while (!done && ++iterations < 10);
    }
    this.#toString = void 0;
  }
  #partsToRegExp(dot) {
    return this.#parts.map((p) => {
      if (typeof p === "string") {
        throw new Error("string type in extglob ast??");
      }
      const [re, _, _hasMagic, uflag] = p.toRegExpSource(dot);
      this.#uflag = this.#uflag || uflag;
      return re;
    }).filter((p) => !(this.isStart() && this.isEnd()) || !!p).join("|");
  }
  static #parseGlob(glob, hasMagic, noEmpty = false) {
    let escaping = false;
    let re = "";
    let uflag = false;
    let inStar = false;
    for (let i = 0; i < glob.length; i++) {
      const c = glob.charAt(i);
      if (escaping) {
        escaping = false;
        re += (reSpecials.has(c) ? "\\" : "") + c;
        continue;
      }
      if (c === "*") {
        if (inStar)
          continue;
        inStar = true;
        re += noEmpty && /^[*]+$/.test(glob) ? starNoEmpty : star;
        hasMagic = true;
        continue;
      } else {
        inStar = false;
      }
      if (c === "\\") {
        if (i === glob.length - 1) {
          re += "\\\\";
        } else {
          escaping = true;
        }
        continue;
      }
      if (c === "[") {
        const [src, needUflag, consumed, magic] = parseClass(glob, i);
        if (consumed) {
          re += src;
          uflag = uflag || needUflag;
          i += consumed - 1;
          hasMagic = hasMagic || magic;
          continue;
        }
      }
      if (c === "?") {
        re += qmark;
        hasMagic = true;
        continue;
      }
      re += regExpEscape(c);
    }
    return [re, unescape(glob), !!hasMagic, uflag];
  }
};
_a = AST;

// node_modules/minimatch/dist/esm/escape.js
var escape = (s, { windowsPathsNoEscape = false, magicalBraces = false } = {}) => {
  if (magicalBraces) {
    return windowsPathsNoEscape ? s.replace(/[?*()[\]{}]/g, "[$&]") : s.replace(/[?*()[\]\\{}]/g, "\\$&");
  }
  return windowsPathsNoEscape ? s.replace(/[?*()[\]]/g, "[$&]") : s.replace(/[?*()[\]\\]/g, "\\$&");
};

// node_modules/minimatch/dist/esm/index.js
var minimatch = (p, pattern, options = {}) => {
  assertValidPattern(pattern);
  if (!options.nocomment && pattern.charAt(0) === "#") {
    return false;
  }
  return new Minimatch(pattern, options).match(p);
};
var starDotExtRE = /^\*+([^+@!?*[(]*)$/;
var starDotExtTest = (ext2) => (f) => !f.startsWith(".") && f.endsWith(ext2);
var starDotExtTestDot = (ext2) => (f) => f.endsWith(ext2);
var starDotExtTestNocase = (ext2) => {
  ext2 = ext2.toLowerCase();
  return (f) => !f.startsWith(".") && f.toLowerCase().endsWith(ext2);
};
var starDotExtTestNocaseDot = (ext2) => {
  ext2 = ext2.toLowerCase();
  return (f) => f.toLowerCase().endsWith(ext2);
};
var starDotStarRE = /^\*+\.\*+$/;
var starDotStarTest = (f) => !f.startsWith(".") && f.includes(".");
var starDotStarTestDot = (f) => f !== "." && f !== ".." && f.includes(".");
var dotStarRE = /^\.\*+$/;
var dotStarTest = (f) => f !== "." && f !== ".." && f.startsWith(".");
var starRE = /^\*+$/;
var starTest = (f) => f.length !== 0 && !f.startsWith(".");
var starTestDot = (f) => f.length !== 0 && f !== "." && f !== "..";
var qmarksRE = /^\?+([^+@!?*[(]*)?$/;
var qmarksTestNocase = ([$0, ext2 = ""]) => {
  const noext = qmarksTestNoExt([$0]);
  if (!ext2)
    return noext;
  ext2 = ext2.toLowerCase();
  return (f) => noext(f) && f.toLowerCase().endsWith(ext2);
};
var qmarksTestNocaseDot = ([$0, ext2 = ""]) => {
  const noext = qmarksTestNoExtDot([$0]);
  if (!ext2)
    return noext;
  ext2 = ext2.toLowerCase();
  return (f) => noext(f) && f.toLowerCase().endsWith(ext2);
};
var qmarksTestDot = ([$0, ext2 = ""]) => {
  const noext = qmarksTestNoExtDot([$0]);
  return !ext2 ? noext : (f) => noext(f) && f.endsWith(ext2);
};
var qmarksTest = ([$0, ext2 = ""]) => {
  const noext = qmarksTestNoExt([$0]);
  return !ext2 ? noext : (f) => noext(f) && f.endsWith(ext2);
};
var qmarksTestNoExt = ([$0]) => {
  const len = $0.length;
  return (f) => f.length === len && !f.startsWith(".");
};
var qmarksTestNoExtDot = ([$0]) => {
  const len = $0.length;
  return (f) => f.length === len && f !== "." && f !== "..";
};
var defaultPlatform = typeof process === "object" && process ? typeof process.env === "object" && process.env && process.env.__MINIMATCH_TESTING_PLATFORM__ || process.platform : "posix";
var path2 = {
  win32: { sep: "\\" },
  posix: { sep: "/" }
};
var sep = defaultPlatform === "win32" ? path2.win32.sep : path2.posix.sep;
minimatch.sep = sep;
var GLOBSTAR = /* @__PURE__ */ Symbol("globstar **");
minimatch.GLOBSTAR = GLOBSTAR;
var qmark2 = "[^/]";
var star2 = qmark2 + "*?";
var twoStarDot = "(?:(?!(?:\\/|^)(?:\\.{1,2})($|\\/)).)*?";
var twoStarNoDot = "(?:(?!(?:\\/|^)\\.).)*?";
var filter = (pattern, options = {}) => (p) => minimatch(p, pattern, options);
minimatch.filter = filter;
var ext = (a, b = {}) => Object.assign({}, a, b);
var defaults = (def) => {
  if (!def || typeof def !== "object" || !Object.keys(def).length) {
    return minimatch;
  }
  const orig = minimatch;
  const m = (p, pattern, options = {}) => orig(p, pattern, ext(def, options));
  return Object.assign(m, {
    Minimatch: class Minimatch extends orig.Minimatch {
      constructor(pattern, options = {}) {
        super(pattern, ext(def, options));
      }
      static defaults(options) {
        return orig.defaults(ext(def, options)).Minimatch;
      }
    },
    AST: class AST extends orig.AST {
      /* c8 ignore start */
      constructor(type, parent, options = {}) {
        super(type, parent, ext(def, options));
      }
      /* c8 ignore stop */
      static fromGlob(pattern, options = {}) {
        return orig.AST.fromGlob(pattern, ext(def, options));
      }
    },
    unescape: (s, options = {}) => orig.unescape(s, ext(def, options)),
    escape: (s, options = {}) => orig.escape(s, ext(def, options)),
    filter: (pattern, options = {}) => orig.filter(pattern, ext(def, options)),
    defaults: (options) => orig.defaults(ext(def, options)),
    makeRe: (pattern, options = {}) => orig.makeRe(pattern, ext(def, options)),
    braceExpand: (pattern, options = {}) => orig.braceExpand(pattern, ext(def, options)),
    match: (list, pattern, options = {}) => orig.match(list, pattern, ext(def, options)),
    sep: orig.sep,
    GLOBSTAR
  });
};
minimatch.defaults = defaults;
var braceExpand = (pattern, options = {}) => {
  assertValidPattern(pattern);
  if (options.nobrace || !/\{(?:(?!\{).)*\}/.test(pattern)) {
    return [pattern];
  }
  return expand(pattern, { max: options.braceExpandMax });
};
minimatch.braceExpand = braceExpand;
var makeRe = (pattern, options = {}) => new Minimatch(pattern, options).makeRe();
minimatch.makeRe = makeRe;
var match = (list, pattern, options = {}) => {
  const mm = new Minimatch(pattern, options);
  list = list.filter((f) => mm.match(f));
  if (mm.options.nonull && !list.length) {
    list.push(pattern);
  }
  return list;
};
minimatch.match = match;
var globMagic = /[?*]|[+@!]\(.*?\)|\[|\]/;
var regExpEscape2 = (s) => s.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, "\\$&");
var Minimatch = class {
  options;
  set;
  pattern;
  windowsPathsNoEscape;
  nonegate;
  negate;
  comment;
  empty;
  preserveMultipleSlashes;
  partial;
  globSet;
  globParts;
  nocase;
  isWindows;
  platform;
  windowsNoMagicRoot;
  maxGlobstarRecursion;
  regexp;
  constructor(pattern, options = {}) {
    assertValidPattern(pattern);
    options = options || {};
    this.options = options;
    this.maxGlobstarRecursion = options.maxGlobstarRecursion ?? 200;
    this.pattern = pattern;
    this.platform = options.platform || defaultPlatform;
    this.isWindows = this.platform === "win32";
    const awe = "allowWindowsEscape";
    this.windowsPathsNoEscape = !!options.windowsPathsNoEscape || options[awe] === false;
    if (this.windowsPathsNoEscape) {
      this.pattern = this.pattern.replace(/\\/g, "/");
    }
    this.preserveMultipleSlashes = !!options.preserveMultipleSlashes;
    this.regexp = null;
    this.negate = false;
    this.nonegate = !!options.nonegate;
    this.comment = false;
    this.empty = false;
    this.partial = !!options.partial;
    this.nocase = !!this.options.nocase;
    this.windowsNoMagicRoot = options.windowsNoMagicRoot !== void 0 ? options.windowsNoMagicRoot : !!(this.isWindows && this.nocase);
    this.globSet = [];
    this.globParts = [];
    this.set = [];
    this.make();
  }
  hasMagic() {
    if (this.options.magicalBraces && this.set.length > 1) {
      return true;
    }
    for (const pattern of this.set) {
      for (const part of pattern) {
        if (typeof part !== "string")
          return true;
      }
    }
    return false;
  }
  debug(..._) {
  }
  make() {
    const pattern = this.pattern;
    const options = this.options;
    if (!options.nocomment && pattern.charAt(0) === "#") {
      this.comment = true;
      return;
    }
    if (!pattern) {
      this.empty = true;
      return;
    }
    this.parseNegate();
    this.globSet = [...new Set(this.braceExpand())];
    if (options.debug) {
      this.debug = (...args) => console.error(...args);
    }
    this.debug(this.pattern, this.globSet);
    const rawGlobParts = this.globSet.map((s) => this.slashSplit(s));
    this.globParts = this.preprocess(rawGlobParts);
    this.debug(this.pattern, this.globParts);
    let set = this.globParts.map((s, _, __) => {
      if (this.isWindows && this.windowsNoMagicRoot) {
        const isUNC = s[0] === "" && s[1] === "" && (s[2] === "?" || !globMagic.test(s[2])) && !globMagic.test(s[3]);
        const isDrive = /^[a-z]:/i.test(s[0]);
        if (isUNC) {
          return [
            ...s.slice(0, 4),
            ...s.slice(4).map((ss) => this.parse(ss))
          ];
        } else if (isDrive) {
          return [s[0], ...s.slice(1).map((ss) => this.parse(ss))];
        }
      }
      return s.map((ss) => this.parse(ss));
    });
    this.debug(this.pattern, set);
    this.set = set.filter((s) => s.indexOf(false) === -1);
    if (this.isWindows) {
      for (let i = 0; i < this.set.length; i++) {
        const p = this.set[i];
        if (p[0] === "" && p[1] === "" && this.globParts[i][2] === "?" && typeof p[3] === "string" && /^[a-z]:$/i.test(p[3])) {
          p[2] = "?";
        }
      }
    }
    this.debug(this.pattern, this.set);
  }
  // various transforms to equivalent pattern sets that are
  // faster to process in a filesystem walk.  The goal is to
  // eliminate what we can, and push all ** patterns as far
  // to the right as possible, even if it increases the number
  // of patterns that we have to process.
  preprocess(globParts) {
    if (this.options.noglobstar) {
      for (const partset of globParts) {
        for (let j = 0; j < partset.length; j++) {
          if (partset[j] === "**") {
            partset[j] = "*";
          }
        }
      }
    }
    const { optimizationLevel = 1 } = this.options;
    if (optimizationLevel >= 2) {
      globParts = this.firstPhasePreProcess(globParts);
      globParts = this.secondPhasePreProcess(globParts);
    } else if (optimizationLevel >= 1) {
      globParts = this.levelOneOptimize(globParts);
    } else {
      globParts = this.adjascentGlobstarOptimize(globParts);
    }
    return globParts;
  }
  // just get rid of adjascent ** portions
  adjascentGlobstarOptimize(globParts) {
    return globParts.map((parts) => {
      let gs = -1;
      while (-1 !== (gs = parts.indexOf("**", gs + 1))) {
        let i = gs;
        while (parts[i + 1] === "**") {
          i++;
        }
        if (i !== gs) {
          parts.splice(gs, i - gs);
        }
      }
      return parts;
    });
  }
  // get rid of adjascent ** and resolve .. portions
  levelOneOptimize(globParts) {
    return globParts.map((parts) => {
      parts = parts.reduce((set, part) => {
        const prev = set[set.length - 1];
        if (part === "**" && prev === "**") {
          return set;
        }
        if (part === "..") {
          if (prev && prev !== ".." && prev !== "." && prev !== "**") {
            set.pop();
            return set;
          }
        }
        set.push(part);
        return set;
      }, []);
      return parts.length === 0 ? [""] : parts;
    });
  }
  levelTwoFileOptimize(parts) {
    if (!Array.isArray(parts)) {
      parts = this.slashSplit(parts);
    }
    let didSomething = false;
    do {
      didSomething = false;
      if (!this.preserveMultipleSlashes) {
        for (let i = 1; i < parts.length - 1; i++) {
          const p = parts[i];
          if (i === 1 && p === "" && parts[0] === "")
            continue;
          if (p === "." || p === "") {
            didSomething = true;
            parts.splice(i, 1);
            i--;
          }
        }
        if (parts[0] === "." && parts.length === 2 && (parts[1] === "." || parts[1] === "")) {
          didSomething = true;
          parts.pop();
        }
      }
      let dd = 0;
      while (-1 !== (dd = parts.indexOf("..", dd + 1))) {
        const p = parts[dd - 1];
        if (p && p !== "." && p !== ".." && p !== "**" && !(this.isWindows && /^[a-z]:$/i.test(p))) {
          didSomething = true;
          parts.splice(dd - 1, 2);
          dd -= 2;
        }
      }
    } while (didSomething);
    return parts.length === 0 ? [""] : parts;
  }
  // First phase: single-pattern processing
  // <pre> is 1 or more portions
  // <rest> is 1 or more portions
  // <p> is any portion other than ., .., '', or **
  // <e> is . or ''
  //
  // **/.. is *brutal* for filesystem walking performance, because
  // it effectively resets the recursive walk each time it occurs,
  // and ** cannot be reduced out by a .. pattern part like a regexp
  // or most strings (other than .., ., and '') can be.
  //
  // <pre>/**/../<p>/<p>/<rest> -> {<pre>/../<p>/<p>/<rest>,<pre>/**/<p>/<p>/<rest>}
  // <pre>/<e>/<rest> -> <pre>/<rest>
  // <pre>/<p>/../<rest> -> <pre>/<rest>
  // **/**/<rest> -> **/<rest>
  //
  // **/*/<rest> -> */**/<rest> <== not valid because ** doesn't follow
  // this WOULD be allowed if ** did follow symlinks, or * didn't
  firstPhasePreProcess(globParts) {
    let didSomething = false;
    do {
      didSomething = false;
      for (let parts of globParts) {
        let gs = -1;
        while (-1 !== (gs = parts.indexOf("**", gs + 1))) {
          let gss = gs;
          while (parts[gss + 1] === "**") {
            gss++;
          }
          if (gss > gs) {
            parts.splice(gs + 1, gss - gs);
          }
          let next = parts[gs + 1];
          const p = parts[gs + 2];
          const p2 = parts[gs + 3];
          if (next !== "..")
            continue;
          if (!p || p === "." || p === ".." || !p2 || p2 === "." || p2 === "..") {
            continue;
          }
          didSomething = true;
          parts.splice(gs, 1);
          const other = parts.slice(0);
          other[gs] = "**";
          globParts.push(other);
          gs--;
        }
        if (!this.preserveMultipleSlashes) {
          for (let i = 1; i < parts.length - 1; i++) {
            const p = parts[i];
            if (i === 1 && p === "" && parts[0] === "")
              continue;
            if (p === "." || p === "") {
              didSomething = true;
              parts.splice(i, 1);
              i--;
            }
          }
          if (parts[0] === "." && parts.length === 2 && (parts[1] === "." || parts[1] === "")) {
            didSomething = true;
            parts.pop();
          }
        }
        let dd = 0;
        while (-1 !== (dd = parts.indexOf("..", dd + 1))) {
          const p = parts[dd - 1];
          if (p && p !== "." && p !== ".." && p !== "**") {
            didSomething = true;
            const needDot = dd === 1 && parts[dd + 1] === "**";
            const splin = needDot ? ["."] : [];
            parts.splice(dd - 1, 2, ...splin);
            if (parts.length === 0)
              parts.push("");
            dd -= 2;
          }
        }
      }
    } while (didSomething);
    return globParts;
  }
  // second phase: multi-pattern dedupes
  // {<pre>/*/<rest>,<pre>/<p>/<rest>} -> <pre>/*/<rest>
  // {<pre>/<rest>,<pre>/<rest>} -> <pre>/<rest>
  // {<pre>/**/<rest>,<pre>/<rest>} -> <pre>/**/<rest>
  //
  // {<pre>/**/<rest>,<pre>/**/<p>/<rest>} -> <pre>/**/<rest>
  // ^-- not valid because ** doens't follow symlinks
  secondPhasePreProcess(globParts) {
    for (let i = 0; i < globParts.length - 1; i++) {
      for (let j = i + 1; j < globParts.length; j++) {
        const matched = this.partsMatch(globParts[i], globParts[j], !this.preserveMultipleSlashes);
        if (matched) {
          globParts[i] = [];
          globParts[j] = matched;
          break;
        }
      }
    }
    return globParts.filter((gs) => gs.length);
  }
  partsMatch(a, b, emptyGSMatch = false) {
    let ai = 0;
    let bi = 0;
    let result = [];
    let which2 = "";
    while (ai < a.length && bi < b.length) {
      if (a[ai] === b[bi]) {
        result.push(which2 === "b" ? b[bi] : a[ai]);
        ai++;
        bi++;
      } else if (emptyGSMatch && a[ai] === "**" && b[bi] === a[ai + 1]) {
        result.push(a[ai]);
        ai++;
      } else if (emptyGSMatch && b[bi] === "**" && a[ai] === b[bi + 1]) {
        result.push(b[bi]);
        bi++;
      } else if (a[ai] === "*" && b[bi] && (this.options.dot || !b[bi].startsWith(".")) && b[bi] !== "**") {
        if (which2 === "b")
          return false;
        which2 = "a";
        result.push(a[ai]);
        ai++;
        bi++;
      } else if (b[bi] === "*" && a[ai] && (this.options.dot || !a[ai].startsWith(".")) && a[ai] !== "**") {
        if (which2 === "a")
          return false;
        which2 = "b";
        result.push(b[bi]);
        ai++;
        bi++;
      } else {
        return false;
      }
    }
    return a.length === b.length && result;
  }
  parseNegate() {
    if (this.nonegate)
      return;
    const pattern = this.pattern;
    let negate = false;
    let negateOffset = 0;
    for (let i = 0; i < pattern.length && pattern.charAt(i) === "!"; i++) {
      negate = !negate;
      negateOffset++;
    }
    if (negateOffset)
      this.pattern = pattern.slice(negateOffset);
    this.negate = negate;
  }
  // set partial to true to test if, for example,
  // "/a/b" matches the start of "/*/b/*/d"
  // Partial means, if you run out of file before you run
  // out of pattern, then that's fine, as long as all
  // the parts match.
  matchOne(file, pattern, partial = false) {
    let fileStartIndex = 0;
    let patternStartIndex = 0;
    if (this.isWindows) {
      const fileDrive = typeof file[0] === "string" && /^[a-z]:$/i.test(file[0]);
      const fileUNC = !fileDrive && file[0] === "" && file[1] === "" && file[2] === "?" && /^[a-z]:$/i.test(file[3]);
      const patternDrive = typeof pattern[0] === "string" && /^[a-z]:$/i.test(pattern[0]);
      const patternUNC = !patternDrive && pattern[0] === "" && pattern[1] === "" && pattern[2] === "?" && typeof pattern[3] === "string" && /^[a-z]:$/i.test(pattern[3]);
      const fdi = fileUNC ? 3 : fileDrive ? 0 : void 0;
      const pdi = patternUNC ? 3 : patternDrive ? 0 : void 0;
      if (typeof fdi === "number" && typeof pdi === "number") {
        const [fd, pd] = [
          file[fdi],
          pattern[pdi]
        ];
        if (fd.toLowerCase() === pd.toLowerCase()) {
          pattern[pdi] = fd;
          patternStartIndex = pdi;
          fileStartIndex = fdi;
        }
      }
    }
    const { optimizationLevel = 1 } = this.options;
    if (optimizationLevel >= 2) {
      file = this.levelTwoFileOptimize(file);
    }
    if (pattern.includes(GLOBSTAR)) {
      return this.#matchGlobstar(file, pattern, partial, fileStartIndex, patternStartIndex);
    }
    return this.#matchOne(file, pattern, partial, fileStartIndex, patternStartIndex);
  }
  #matchGlobstar(file, pattern, partial, fileIndex, patternIndex) {
    const firstgs = pattern.indexOf(GLOBSTAR, patternIndex);
    const lastgs = pattern.lastIndexOf(GLOBSTAR);
    const [head, body, tail] = partial ? [
      pattern.slice(patternIndex, firstgs),
      pattern.slice(firstgs + 1),
      []
    ] : [
      pattern.slice(patternIndex, firstgs),
      pattern.slice(firstgs + 1, lastgs),
      pattern.slice(lastgs + 1)
    ];
    if (head.length) {
      const fileHead = file.slice(fileIndex, fileIndex + head.length);
      if (!this.#matchOne(fileHead, head, partial, 0, 0)) {
        return false;
      }
      fileIndex += head.length;
      patternIndex += head.length;
    }
    let fileTailMatch = 0;
    if (tail.length) {
      if (tail.length + fileIndex > file.length)
        return false;
      let tailStart = file.length - tail.length;
      if (this.#matchOne(file, tail, partial, tailStart, 0)) {
        fileTailMatch = tail.length;
      } else {
        if (file[file.length - 1] !== "" || fileIndex + tail.length === file.length) {
          return false;
        }
        tailStart--;
        if (!this.#matchOne(file, tail, partial, tailStart, 0)) {
          return false;
        }
        fileTailMatch = tail.length + 1;
      }
    }
    if (!body.length) {
      let sawSome = !!fileTailMatch;
      for (let i2 = fileIndex; i2 < file.length - fileTailMatch; i2++) {
        const f = String(file[i2]);
        sawSome = true;
        if (f === "." || f === ".." || !this.options.dot && f.startsWith(".")) {
          return false;
        }
      }
      return partial || sawSome;
    }
    const bodySegments = [[[], 0]];
    let currentBody = bodySegments[0];
    let nonGsParts = 0;
    const nonGsPartsSums = [0];
    for (const b of body) {
      if (b === GLOBSTAR) {
        nonGsPartsSums.push(nonGsParts);
        currentBody = [[], 0];
        bodySegments.push(currentBody);
      } else {
        currentBody[0].push(b);
        nonGsParts++;
      }
    }
    let i = bodySegments.length - 1;
    const fileLength = file.length - fileTailMatch;
    for (const b of bodySegments) {
      b[1] = fileLength - (nonGsPartsSums[i--] + b[0].length);
    }
    return !!this.#matchGlobStarBodySections(file, bodySegments, fileIndex, 0, partial, 0, !!fileTailMatch);
  }
  // return false for "nope, not matching"
  // return null for "not matching, cannot keep trying"
  #matchGlobStarBodySections(file, bodySegments, fileIndex, bodyIndex, partial, globStarDepth, sawTail) {
    const bs = bodySegments[bodyIndex];
    if (!bs) {
      for (let i = fileIndex; i < file.length; i++) {
        sawTail = true;
        const f = file[i];
        if (f === "." || f === ".." || !this.options.dot && f.startsWith(".")) {
          return false;
        }
      }
      return sawTail;
    }
    const [body, after] = bs;
    while (fileIndex <= after) {
      const m = this.#matchOne(file.slice(0, fileIndex + body.length), body, partial, fileIndex, 0);
      if (m && globStarDepth < this.maxGlobstarRecursion) {
        const sub = this.#matchGlobStarBodySections(file, bodySegments, fileIndex + body.length, bodyIndex + 1, partial, globStarDepth + 1, sawTail);
        if (sub !== false) {
          return sub;
        }
      }
      const f = file[fileIndex];
      if (f === "." || f === ".." || !this.options.dot && f.startsWith(".")) {
        return false;
      }
      fileIndex++;
    }
    return partial || null;
  }
  #matchOne(file, pattern, partial, fileIndex, patternIndex) {
    let fi;
    let pi;
    let pl;
    let fl;
    for (fi = fileIndex, pi = patternIndex, fl = file.length, pl = pattern.length; fi < fl && pi < pl; fi++, pi++) {
      this.debug("matchOne loop");
      let p = pattern[pi];
      let f = file[fi];
      this.debug(pattern, p, f);
      if (p === false || p === GLOBSTAR) {
        return false;
      }
      let hit;
      if (typeof p === "string") {
        hit = f === p;
        this.debug("string match", p, f, hit);
      } else {
        hit = p.test(f);
        this.debug("pattern match", p, f, hit);
      }
      if (!hit)
        return false;
    }
    if (fi === fl && pi === pl) {
      return true;
    } else if (fi === fl) {
      return partial;
    } else if (pi === pl) {
      return fi === fl - 1 && file[fi] === "";
    } else {
      throw new Error("wtf?");
    }
  }
  braceExpand() {
    return braceExpand(this.pattern, this.options);
  }
  parse(pattern) {
    assertValidPattern(pattern);
    const options = this.options;
    if (pattern === "**")
      return GLOBSTAR;
    if (pattern === "")
      return "";
    let m;
    let fastTest = null;
    if (m = pattern.match(starRE)) {
      fastTest = options.dot ? starTestDot : starTest;
    } else if (m = pattern.match(starDotExtRE)) {
      fastTest = (options.nocase ? options.dot ? starDotExtTestNocaseDot : starDotExtTestNocase : options.dot ? starDotExtTestDot : starDotExtTest)(m[1]);
    } else if (m = pattern.match(qmarksRE)) {
      fastTest = (options.nocase ? options.dot ? qmarksTestNocaseDot : qmarksTestNocase : options.dot ? qmarksTestDot : qmarksTest)(m);
    } else if (m = pattern.match(starDotStarRE)) {
      fastTest = options.dot ? starDotStarTestDot : starDotStarTest;
    } else if (m = pattern.match(dotStarRE)) {
      fastTest = dotStarTest;
    }
    const re = AST.fromGlob(pattern, this.options).toMMPattern();
    if (fastTest && typeof re === "object") {
      Reflect.defineProperty(re, "test", { value: fastTest });
    }
    return re;
  }
  makeRe() {
    if (this.regexp || this.regexp === false)
      return this.regexp;
    const set = this.set;
    if (!set.length) {
      this.regexp = false;
      return this.regexp;
    }
    const options = this.options;
    const twoStar = options.noglobstar ? star2 : options.dot ? twoStarDot : twoStarNoDot;
    const flags = new Set(options.nocase ? ["i"] : []);
    let re = set.map((pattern) => {
      const pp = pattern.map((p) => {
        if (p instanceof RegExp) {
          for (const f of p.flags.split(""))
            flags.add(f);
        }
        return typeof p === "string" ? regExpEscape2(p) : p === GLOBSTAR ? GLOBSTAR : p._src;
      });
      pp.forEach((p, i) => {
        const next = pp[i + 1];
        const prev = pp[i - 1];
        if (p !== GLOBSTAR || prev === GLOBSTAR) {
          return;
        }
        if (prev === void 0) {
          if (next !== void 0 && next !== GLOBSTAR) {
            pp[i + 1] = "(?:\\/|" + twoStar + "\\/)?" + next;
          } else {
            pp[i] = twoStar;
          }
        } else if (next === void 0) {
          pp[i - 1] = prev + "(?:\\/|\\/" + twoStar + ")?";
        } else if (next !== GLOBSTAR) {
          pp[i - 1] = prev + "(?:\\/|\\/" + twoStar + "\\/)" + next;
          pp[i + 1] = GLOBSTAR;
        }
      });
      const filtered = pp.filter((p) => p !== GLOBSTAR);
      if (this.partial && filtered.length >= 1) {
        const prefixes = [];
        for (let i = 1; i <= filtered.length; i++) {
          prefixes.push(filtered.slice(0, i).join("/"));
        }
        return "(?:" + prefixes.join("|") + ")";
      }
      return filtered.join("/");
    }).join("|");
    const [open3, close] = set.length > 1 ? ["(?:", ")"] : ["", ""];
    re = "^" + open3 + re + close + "$";
    if (this.partial) {
      re = "^(?:\\/|" + open3 + re.slice(1, -1) + close + ")$";
    }
    if (this.negate)
      re = "^(?!" + re + ").+$";
    try {
      this.regexp = new RegExp(re, [...flags].join(""));
    } catch {
      this.regexp = false;
    }
    return this.regexp;
  }
  slashSplit(p) {
    if (this.preserveMultipleSlashes) {
      return p.split("/");
    } else if (this.isWindows && /^\/\/[^/]+/.test(p)) {
      return ["", ...p.split(/\/+/)];
    } else {
      return p.split(/\/+/);
    }
  }
  match(f, partial = this.partial) {
    this.debug("match", f, this.pattern);
    if (this.comment) {
      return false;
    }
    if (this.empty) {
      return f === "";
    }
    if (f === "/" && partial) {
      return true;
    }
    const options = this.options;
    if (this.isWindows) {
      f = f.split("\\").join("/");
    }
    const ff = this.slashSplit(f);
    this.debug(this.pattern, "split", ff);
    const set = this.set;
    this.debug(this.pattern, "set", set);
    let filename = ff[ff.length - 1];
    if (!filename) {
      for (let i = ff.length - 2; !filename && i >= 0; i--) {
        filename = ff[i];
      }
    }
    for (const pattern of set) {
      let file = ff;
      if (options.matchBase && pattern.length === 1) {
        file = [filename];
      }
      const hit = this.matchOne(file, pattern, partial);
      if (hit) {
        if (options.flipNegate) {
          return true;
        }
        return !this.negate;
      }
    }
    if (options.flipNegate) {
      return false;
    }
    return this.negate;
  }
  static defaults(def) {
    return minimatch.defaults(def).Minimatch;
  }
};
minimatch.AST = AST;
minimatch.Minimatch = Minimatch;
minimatch.escape = escape;
minimatch.unescape = unescape;

// src/core/review/policy.ts
var POLICY_VERSION = 1;
var DEFAULT_POLICY = Object.freeze({
  version: POLICY_VERSION,
  signoff: Object.freeze({
    minAiLines: 1,
    ignore: Object.freeze([]),
    highRisk: Object.freeze([]),
    highRiskSigners: 2,
    allowSelfSignoff: false,
    requireSignature: true,
    aiDeletions: true,
    seniorSignedCommits: false
  }),
  trailers: Object.freeze({ onEveryCommit: false, coAuthoredBy: false })
});
var PolicyError = class extends Error {
  constructor(key, problem) {
    super(key === "" ? problem : `${key} ${problem}`);
    this.key = key;
    this.problem = problem;
  }
  key;
  problem;
  name = "PolicyError";
};
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function describe(value) {
  const text = JSON.stringify(value);
  return text === void 0 ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
function checkKeys(value, prefix, known) {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const path14 = prefix ? `${prefix}.${key}` : key;
      throw new PolicyError(path14, `is not a policy key (known${prefix ? ` in ${prefix}` : ""}: ${known.join(", ")})`);
    }
  }
}
function wholeNumber(value, key, min, fallback) {
  if (value === void 0) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new PolicyError(key, `must be a whole number >= ${min} (got ${describe(value)})`);
  }
  return value;
}
function flag(value, key, fallback) {
  if (value === void 0) return fallback;
  if (typeof value !== "boolean") throw new PolicyError(key, `must be true or false (got ${describe(value)})`);
  return value;
}
function globList(value, key) {
  if (value === void 0) return [];
  if (!Array.isArray(value))
    throw new PolicyError(key, `must be a list of glob patterns, e.g. ["docs/**"] (got ${describe(value)})`);
  return Object.freeze(
    value.map((item, i) => {
      const itemKey = `${key}[${i}]`;
      if (typeof item !== "string")
        throw new PolicyError(itemKey, `must be a glob pattern string (got ${describe(item)})`);
      const problem = globProblem(item);
      if (problem) throw new PolicyError(itemKey, `${problem} (got ${describe(item)})`);
      return item;
    })
  );
}
function validatePolicy(value) {
  if (!isObject(value)) throw new PolicyError("", `the policy must be a JSON object (got ${describe(value)})`);
  checkKeys(value, "", ["version", "signoff", "trailers"]);
  if (value.version !== void 0 && value.version !== POLICY_VERSION) {
    throw new PolicyError(
      "version",
      `must be ${POLICY_VERSION} (got ${describe(value.version)}); this ai-provenance reads policy version ${POLICY_VERSION}`
    );
  }
  const signoff = value.signoff ?? {};
  if (!isObject(signoff)) throw new PolicyError("signoff", `must be an object (got ${describe(signoff)})`);
  checkKeys(signoff, "signoff", [
    "minAiLines",
    "ignore",
    "highRisk",
    "highRiskSigners",
    "allowSelfSignoff",
    "requireSignature",
    "aiDeletions",
    "seniorSignedCommits"
  ]);
  const trailers = value.trailers ?? {};
  if (!isObject(trailers)) throw new PolicyError("trailers", `must be an object (got ${describe(trailers)})`);
  checkKeys(trailers, "trailers", ["onEveryCommit", "coAuthoredBy"]);
  const d = DEFAULT_POLICY;
  return Object.freeze({
    version: POLICY_VERSION,
    signoff: Object.freeze({
      minAiLines: wholeNumber(signoff.minAiLines, "signoff.minAiLines", 1, d.signoff.minAiLines),
      ignore: globList(signoff.ignore, "signoff.ignore"),
      highRisk: globList(signoff.highRisk, "signoff.highRisk"),
      highRiskSigners: wholeNumber(signoff.highRiskSigners, "signoff.highRiskSigners", 1, d.signoff.highRiskSigners),
      allowSelfSignoff: flag(signoff.allowSelfSignoff, "signoff.allowSelfSignoff", d.signoff.allowSelfSignoff),
      requireSignature: flag(signoff.requireSignature, "signoff.requireSignature", d.signoff.requireSignature),
      aiDeletions: flag(signoff.aiDeletions, "signoff.aiDeletions", d.signoff.aiDeletions),
      seniorSignedCommits: flag(
        signoff.seniorSignedCommits,
        "signoff.seniorSignedCommits",
        d.signoff.seniorSignedCommits
      )
    }),
    trailers: Object.freeze({
      onEveryCommit: flag(trailers.onEveryCommit, "trailers.onEveryCommit", d.trailers.onEveryCommit),
      coAuthoredBy: flag(trailers.coAuthoredBy, "trailers.coAuthoredBy", d.trailers.coAuthoredBy)
    })
  });
}
function parsePolicy(text) {
  let value;
  try {
    value = JSON.parse(text.charCodeAt(0) === 65279 ? text.slice(1) : text);
  } catch (error2) {
    throw new PolicyError(
      "",
      `the policy is not valid JSON: ${error2 instanceof Error ? error2.message : String(error2)}`
    );
  }
  return validatePolicy(value);
}
var GLOB_OPTIONS = {
  dot: true,
  nonegate: true,
  nocomment: true,
  noext: true,
  nocase: false,
  matchBase: false,
  platform: "linux"
};
function globProblem(pattern) {
  if (pattern.trim() === "") return "must not be empty";
  if (pattern !== pattern.trim()) return "must not start or end with spaces";
  if (pattern.startsWith("!")) return 'must not start with "!": negation is not supported; list what to match instead';
  if (pattern.startsWith("/")) return 'is relative to the repository root and must not start with "/"';
  if (pattern.startsWith("./")) return 'is relative to the repository root and must not start with "./"';
  if (pattern.includes("\\")) return 'must use "/" between folders and no "\\"';
  if ([...pattern].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127))
    return "must not contain control characters";
  return void 0;
}
function compileGlobs(patterns, key = "pattern") {
  const compiled = patterns.map((pattern, i) => {
    const problem = globProblem(pattern);
    if (problem) throw new PolicyError(`${key}[${i}]`, `${problem} (got ${describe(pattern)})`);
    return { pattern, matcher: new Minimatch(pattern.endsWith("/") ? `${pattern}**` : pattern, GLOB_OPTIONS) };
  });
  const firstMatch = (path14) => compiled.find((c) => c.matcher.match(path14))?.pattern;
  return { patterns: Object.freeze([...patterns]), matches: (path14) => firstMatch(path14) !== void 0, firstMatch };
}
function policyMatchers(policy) {
  return {
    ignore: compileGlobs(policy.signoff.ignore, "signoff.ignore"),
    highRisk: compileGlobs(policy.signoff.highRisk, "signoff.highRisk")
  };
}

// src/core/review/roster.ts
var KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ssh-dss",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com"
];
var RosterError = class extends Error {
  constructor(problems) {
    super(problems.map((p) => `line ${p.line}: ${p.message}`).join("; "));
    this.problems = problems;
  }
  problems;
  name = "RosterError";
};
var OPTION_NAMES = ["cert-authority", "namespaces", "valid-after", "valid-before"];
var TIME = /^\d{8}(?:\d{4}(?:\d{2})?)?Z?$/;
function takeField(text, at) {
  if (text[at] === '"') {
    const close = text.indexOf('"', at + 1);
    if (close < 0) return { error: "a quoted field has no closing quote" };
    const end2 = close + 1;
    if (end2 < text.length && !/\s/.test(text[end2])) return { error: "a quoted field must be followed by a space" };
    return { value: text.slice(at + 1, close), quoted: true, end: end2 };
  }
  let end = at;
  while (end < text.length && !/\s/.test(text[end])) end++;
  return { value: text.slice(at, end), quoted: false, end };
}
function takeOptions(text, at) {
  let quoted = false;
  let end = at;
  for (; end < text.length; end++) {
    const c = text[end];
    if (c === '"') quoted = !quoted;
    else if (!quoted && /\s/.test(c)) break;
  }
  if (quoted) return { error: "an option value has no closing quote" };
  return { value: text.slice(at, end), end };
}
function skipSpace(text, at) {
  while (at < text.length && (text[at] === " " || text[at] === "	")) at++;
  return at;
}
function splitOptions(value) {
  const out = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') quoted = !quoted;
    else if (c === "," && !quoted) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out;
}
function parseOptions(value) {
  const result = { certAuthority: false };
  const seen = /* @__PURE__ */ new Set();
  for (const option of splitOptions(value)) {
    const eq = option.indexOf("=");
    const name = (eq < 0 ? option : option.slice(0, eq)).toLowerCase();
    if (!OPTION_NAMES.includes(name)) {
      return { error: `unknown option "${option}" (allowed: ${OPTION_NAMES.join(", ")})` };
    }
    if (seen.has(name)) return { error: `option ${name} appears twice` };
    seen.add(name);
    if (name === "cert-authority") {
      if (eq >= 0) return { error: "cert-authority takes no value" };
      result.certAuthority = true;
      continue;
    }
    const raw = eq < 0 ? void 0 : option.slice(eq + 1);
    if (raw === void 0 || raw.length < 2 || !raw.startsWith('"') || !raw.endsWith('"')) {
      return {
        error: `${name} needs a value in double quotes, e.g. ${name}="${name === "namespaces" ? "git" : "20260101"}"`
      };
    }
    const inner = raw.slice(1, -1);
    if (name === "namespaces") {
      const list = inner.split(",").map((s) => s.trim());
      if (list.some((s) => s === "")) return { error: "namespaces has an empty entry" };
      result.namespaces = list;
    } else {
      if (!TIME.test(inner)) return { error: `${name} must be YYYYMMDD[HHMM[SS]][Z] (got "${inner}")` };
      if (name === "valid-after") result.validAfter = inner;
      else result.validBefore = inner;
    }
  }
  return result;
}
function readSshString(bytes, at) {
  if (at + 4 > bytes.length) return void 0;
  const length = (bytes[at] << 24 >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
  const end = at + 4 + length;
  if (end > bytes.length) return void 0;
  return { value: bytes.subarray(at + 4, end), end };
}
var BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
function keyBlobProblem(keyType, key) {
  if (!BASE64.test(key) || key.length % 4 !== 0) return "the key is not valid base64";
  const bytes = Buffer.from(key, "base64");
  if (bytes.toString("base64") !== key) return "the key is not valid base64";
  const first = readSshString(bytes, 0);
  if (!first) return "the key blob is truncated";
  const inner = Buffer.from(first.value).toString("latin1");
  if (inner !== keyType) return `the key blob is a ${JSON.stringify(inner.slice(0, 40))} key, not ${keyType}`;
  if (first.end >= bytes.length) return "the key blob is truncated";
  return void 0;
}
function isKeyType(token) {
  return KEY_TYPES.includes(token);
}
function parseAllowedSigners(text) {
  const entries = [];
  const problems = [];
  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    const fail = (message) => {
      problems.push({ line, message });
    };
    const text2 = (index === 0 && raw.charCodeAt(0) === 65279 ? raw.slice(1) : raw).replace(/\r$/, "");
    if ([...text2].some((c) => c.charCodeAt(0) < 32 && c !== "	" || c.charCodeAt(0) === 127))
      return fail("the line contains control characters");
    let at = skipSpace(text2, 0);
    if (at >= text2.length || text2[at] === "#") return;
    const principalField = takeField(text2, at);
    if ("error" in principalField) return fail(principalField.error);
    const principals = principalField.value.split(",");
    if (principalField.value === "" || principals.some((p) => p.trim() === "" || p !== p.trim())) {
      return fail(
        "the principals (first field) must be a comma-separated list of e-mail addresses or patterns without spaces"
      );
    }
    if (principals.every((p) => p.startsWith("!")))
      return fail('the principals only exclude (every pattern starts with "!"), so they match nobody');
    at = skipSpace(text2, principalField.end);
    if (at >= text2.length) return fail("a key type and key must follow the principals");
    let options = { certAuthority: false };
    let next = takeField(text2, at);
    if ("error" in next) return fail(next.error);
    if (!isKeyType(next.value)) {
      const optionField = takeOptions(text2, at);
      if ("error" in optionField) return fail(optionField.error);
      const looksLikeType = /^(ssh|ecdsa|sk)-/.test(optionField.value);
      if (looksLikeType) return fail(`unknown key type "${optionField.value}" (known: ${KEY_TYPES.join(", ")})`);
      const parsed = parseOptions(optionField.value);
      if ("error" in parsed) return fail(parsed.error);
      options = parsed;
      at = skipSpace(text2, optionField.end);
      if (at >= text2.length) return fail("a key type and key must follow the options");
      next = takeField(text2, at);
      if ("error" in next) return fail(next.error);
      if (!isKeyType(next.value)) return fail(`unknown key type "${next.value}" (known: ${KEY_TYPES.join(", ")})`);
    }
    const keyType = next.value;
    at = skipSpace(text2, next.end);
    const keyField = takeField(text2, at);
    if ("error" in keyField || keyField.value === "")
      return fail(`the ${keyType} key (base64) is missing after the key type`);
    const keyProblem = keyBlobProblem(keyType, keyField.value);
    if (keyProblem) return fail(keyProblem);
    const comment = text2.slice(skipSpace(text2, keyField.end)).trim();
    const entry = {
      line,
      principals,
      certAuthority: options.certAuthority,
      keyType,
      key: keyField.value,
      ...options.namespaces ? { namespaces: options.namespaces } : {},
      ...options.validAfter ? { validAfter: options.validAfter } : {},
      ...options.validBefore ? { validBefore: options.validBefore } : {},
      ...comment ? { comment } : {}
    };
    entries.push(entry);
  });
  return { entries, problems };
}
function matchPrincipal(patterns, name) {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith("!");
    if (wildcardMatch(negated ? pattern.slice(1) : pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}
function wildcardMatch(pattern, name) {
  let p = 0;
  let n = 0;
  let star3 = -1;
  let mark = 0;
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === name[n])) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star3 = p++;
      mark = n;
    } else if (star3 >= 0) {
      p = star3 + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}
var Roster = class {
  constructor(entries) {
    this.entries = entries;
  }
  entries;
  get isEmpty() {
    return this.entries.length === 0;
  }
  /** Entries (not certificate authorities) whose key is exactly `keyType key`. */
  entriesForKey(keyType, key) {
    return this.entries.filter((e) => !e.certAuthority && e.keyType === keyType && e.key === key);
  }
  /** Whether `principal` is allowed by some entry (OpenSSH pattern semantics, case-sensitive). */
  allows(principal) {
    return this.entries.some((e) => matchPrincipal(e.principals, principal));
  }
  /** Whether some entry names `email` (case-insensitive for a person typing an address; patterns apply). */
  allowsEmail(email) {
    const lower = email.toLowerCase();
    return this.entries.some(
      (e) => matchPrincipal(
        e.principals.map((p) => p.toLowerCase()),
        lower
      )
    );
  }
  /** The plain (pattern-free, non-negated) principals, in file order, without duplicates. */
  plainPrincipals() {
    const out = [];
    for (const e of this.entries) {
      for (const p of e.principals) if (!/[*?!]/.test(p) && !out.includes(p)) out.push(p);
    }
    return out;
  }
  /** How many distinct people could sign: distinct keys (a person with two keys counts twice at most). */
  signerCapacity() {
    return new Set(this.entries.map((e) => `${e.keyType} ${e.key}`)).size;
  }
};
function loadRoster(text) {
  const { entries, problems } = parseAllowedSigners(text);
  if (problems.length > 0) throw new RosterError(problems);
  return new Roster(entries);
}

// src/core/review/packet.ts
function escapeMarkdown(text) {
  return printable(text).replace(
    /[!-/:-@[-`{-~]/g,
    (c) => c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : `\\${c}`
  );
}
function printable(text) {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`).replace(
    // Listed by code on purpose, combining variation selectors included: each one found is made visible.
    // eslint-disable-next-line no-misleading-character-class
    /[\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  ).replace(/\n/g, " ");
}

// src/core/review/owners.ts
var EMAIL = /^[^@\s<>,]+@[^@\s<>,]+$/;
var HANDLE = /^@[^@\s]+$/;
function tokenize(text) {
  const tokens = [];
  let current = "";
  let inToken = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length) {
      current += c + text[i + 1];
      inToken = true;
      i++;
    } else if (c === " " || c === "	") {
      if (inToken) tokens.push(current);
      current = "";
      inToken = false;
    } else if (c === "#" && !inToken) {
      break;
    } else {
      current += c;
      inToken = true;
    }
  }
  if (inToken) tokens.push(current);
  return tokens;
}
function quote(text) {
  return `"${printable(text.length > 80 ? `${text.slice(0, 77)}...` : text)}"`;
}
function unescape2(text) {
  return text.replace(/\\(.)/g, "$1");
}
function splitSlashes(pattern) {
  const parts = [];
  let current = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\" && i + 1 < pattern.length) {
      current += c + pattern[i + 1];
      i++;
    } else if (c === "/") {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}
function compileSegment(part) {
  const tokens = [];
  for (let i = 0; i < part.length; i++) {
    const c = part[i];
    if (c === "\\" && i + 1 < part.length) {
      tokens.push({ t: "char", c: part[++i] });
    } else if (c === "?") {
      tokens.push({ t: "any" });
    } else if (c === "*") {
      if (tokens[tokens.length - 1]?.t !== "star") tokens.push({ t: "star" });
    } else if (c === "[") {
      let j = i + 1;
      const negated = part[j] === "!" || part[j] === "^";
      if (negated) j++;
      const items = [];
      let first = true;
      let closed = false;
      while (j < part.length) {
        let ch = part[j];
        if (ch === "]" && !first) {
          closed = true;
          break;
        }
        if (ch === "\\" && j + 1 < part.length) ch = part[++j];
        first = false;
        if (part[j + 1] === "-" && j + 2 < part.length && part[j + 2] !== "]") {
          let to = part[j + 2];
          let skip = 2;
          if (to === "\\" && j + 3 < part.length) {
            to = part[j + 3];
            skip = 3;
          }
          if (to < ch) return `the range ${ch}-${to} in [...] is backwards`;
          items.push([ch, to]);
          j += skip + 1;
        } else {
          items.push([ch, ch]);
          j++;
        }
      }
      if (!closed) return 'a "[" has no closing "]" (write \\[ for the character itself)';
      tokens.push({ t: "class", negated, items });
      i = j;
    } else {
      tokens.push({ t: "char", c });
    }
  }
  return tokens;
}
function compilePattern(pattern) {
  if (pattern.startsWith("!"))
    return { problem: 'negation ("!") is not CODEOWNERS syntax; list what to match instead' };
  let body = pattern;
  const dirOnly = body.endsWith("/") && !body.endsWith("\\/");
  if (dirOnly) body = body.replace(/\/+$/, "");
  const rooted = body.startsWith("/");
  body = body.replace(/^\/+/, "");
  if (body === "")
    return rooted && !dirOnly ? { problem: '"/" alone matches nothing; write /** for everything' } : { problem: "the pattern matches nothing" };
  const parts = splitSlashes(body);
  if (parts.some((p) => p === "")) return { problem: 'the pattern has an empty folder name ("//")' };
  if (parts.some((p) => p === "." || p === ".."))
    return { problem: 'the pattern has a "." or ".." folder; patterns are relative to the repository root' };
  const anchored = rooted || parts.length > 1;
  const segments = anchored ? [] : [{ globstar: true }];
  for (const part of parts) {
    if (part === "**") {
      if (segments[segments.length - 1]?.globstar !== true) segments.push({ globstar: true });
      continue;
    }
    const tokens = compileSegment(part);
    if (typeof tokens === "string") return { problem: tokens };
    segments.push({ globstar: false, tokens });
  }
  const last = parts[parts.length - 1];
  return { segments, dirOnly, noDescend: last === "*" };
}
function tokenMatches(token, c) {
  switch (token.t) {
    case "char":
      return token.c === c;
    case "any":
      return true;
    case "class": {
      const inside = token.items.some(([from, to]) => c >= from && c <= to);
      return inside !== token.negated;
    }
    case "star":
      return false;
  }
}
function segmentMatches(tokens, name) {
  let p = 0;
  let n = 0;
  let star3 = -1;
  let mark = 0;
  while (n < name.length) {
    const token = tokens[p];
    if (token && token.t !== "star" && tokenMatches(token, name[n])) {
      p++;
      n++;
    } else if (token?.t === "star") {
      star3 = p++;
      mark = n;
    } else if (star3 >= 0) {
      p = star3 + 1;
      n = ++mark;
    } else return false;
  }
  while (tokens[p]?.t === "star") p++;
  return p === tokens.length;
}
function segmentsMatch(segments, names) {
  let reach = new Uint8Array(names.length + 1);
  reach[0] = 1;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const next = new Uint8Array(names.length + 1);
    const lastGlobstar = seg.globstar && i === segments.length - 1;
    for (let j = 0; j <= names.length; j++) {
      if (!reach[j]) continue;
      if (seg.globstar) {
        for (let k = lastGlobstar ? j + 1 : j; k <= names.length; k++) next[k] = 1;
      } else if (j < names.length && segmentMatches(seg.tokens, names[j])) {
        next[j + 1] = 1;
      }
    }
    reach = next;
  }
  return reach[names.length] === 1;
}
function ruleMatches(rule, path14) {
  const names = path14.split("/");
  if (!rule.dirOnly && segmentsMatch(rule.segments, names)) return true;
  if (rule.noDescend && !rule.dirOnly) return false;
  for (let k = names.length - 1; k >= 1; k--) {
    if (segmentsMatch(rule.segments, names.slice(0, k))) return true;
  }
  return false;
}
function parseOwners(text, source, file) {
  const rules = [];
  const problems = [];
  const defaults2 = /* @__PURE__ */ new Map();
  let section = "";
  const lines = text.split("\n");
  lines.forEach((raw, index) => {
    const line = index + 1;
    const fail = (message) => {
      problems.push({ line, message });
    };
    const content = (index === 0 && raw.charCodeAt(0) === 65279 ? raw.slice(1) : raw).replace(/\r$/, "");
    if ([...content].some((c) => c.charCodeAt(0) < 32 && c !== "	" || c.charCodeAt(0) === 127))
      return fail("the line contains control characters");
    const trimmed = content.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const header = /^(\^)?\[([^\]]*)\](?:\[(\d+)\])?(?=\s|$)(.*)$/.exec(trimmed);
    if (header) {
      const name = header[2].trim();
      if (name === "") return fail("a section header needs a name: [Section name]");
      const owners2 = checkOwners(tokenize(header[4]), source, fail);
      if (!owners2) return;
      section = name.toLowerCase();
      defaults2.set(section, [...defaults2.get(section) ?? [], ...owners2]);
      return;
    }
    const tokens = tokenize(trimmed);
    if (tokens.length === 0) return;
    const pattern = tokens[0];
    const compiled = compilePattern(pattern);
    if ("problem" in compiled) return fail(`pattern ${quote(unescape2(pattern))}: ${compiled.problem}`);
    const owners = checkOwners(tokens.slice(1), source, fail);
    if (!owners) return;
    const named = owners.length > 0 || tokens.length > 1 ? owners : defaults2.get(section) ?? [];
    rules.push({ line, pattern, owners: named, section, ...compiled });
  });
  return { owners: { source, file, rules }, problems };
}
function checkOwners(tokens, source, fail) {
  const owners = [];
  for (const token of tokens.map(unescape2)) {
    if (EMAIL.test(token)) {
      if (!owners.some((o) => o.toLowerCase() === token.toLowerCase())) owners.push(token);
    } else if (HANDLE.test(token)) {
      if (source === "reviewers") {
        fail(
          `owner ${quote(token)}: owners here are the e-mail addresses of seniors in the roster; a @user or @team cannot be matched to a key`
        );
        return void 0;
      }
    } else {
      fail(`owner ${quote(token)} is neither an e-mail address nor a @user or @team`);
      return void 0;
    }
  }
  return owners;
}
function ownersOf(file, path14) {
  const last = /* @__PURE__ */ new Map();
  for (const rule of file.rules) if (ruleMatches(rule, path14)) last.set(rule.section, rule);
  const out = [];
  for (const rule of last.values())
    for (const o of rule.owners) if (!out.some((x) => x.toLowerCase() === o.toLowerCase())) out.push(o);
  return out;
}
function namedOwners(file) {
  const out = [];
  for (const rule of file.rules)
    for (const owner of rule.owners)
      if (!out.some((x) => x.owner.toLowerCase() === owner.toLowerCase())) out.push({ owner, line: rule.line });
  return out;
}
function ownersProblemText(problems) {
  return problems.map((p) => `line ${p.line}: ${p.message}`).join("; ");
}

// src/core/formats/signoff-message.ts
var REVIEWED_BY = "Reviewed-by";
var AI_SIGNOFF = "AI-Signoff";
var AI_SIGNOFF_RANGE = "AI-Signoff-Range";
var AI_CHANGES_REQUESTED = "AI-Changes-Requested";
var OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
function isObjectId(value) {
  return OBJECT_ID.test(value);
}
function parseSignoffSubject(subject) {
  const m = /^AI sign-off: (0|[1-9]\d{0,6}) (?:commit|commits|commit\(s\))$/.exec(subject.trim());
  return m ? Number(m[1]) : void 0;
}
function parseChangesSubject(subject) {
  const m = /^AI changes requested: ([1-9]\d{0,6}) (?:commit|commits)$/.exec(subject.trim());
  return m ? Number(m[1]) : void 0;
}
function looksLikeSignoffSubject(subject) {
  return /^\s*AI sign-off\b/i.test(subject);
}
function looksLikeChangesSubject(subject) {
  return /^\s*AI changes requested\b/i.test(subject);
}
function parsePerson(value) {
  const m = /^([^<>]*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(value.trim());
  if (!m) throw new Error(`"${value.slice(0, 120)}" is not "Name <email>"`);
  return { name: m[1].trim(), email: m[2] };
}
function parseSignoffEntry(value) {
  const parts = value.trim().split(/ +/);
  if (parts.length !== 2 || !isObjectId(parts[0]) || !isObjectId(parts[1])) {
    throw new Error(`"${value.slice(0, 120)}" is not "<patch-id> <commit-id>" with full hexadecimal ids`);
  }
  return { patchId: parts[0], commitId: parts[1] };
}
function trailerValues(trailers, key) {
  const lower = key.toLowerCase();
  return trailers.filter((t) => t.key.toLowerCase() === lower).map((t) => t.value);
}
function isSignoffCandidate(subject, trailers) {
  return looksLikeSignoffSubject(subject) || looksLikeChangesSubject(subject) || trailerValues(trailers, AI_SIGNOFF).length > 0 || trailerValues(trailers, AI_CHANGES_REQUESTED).length > 0;
}
function interpretSignoff(subject, trailers) {
  const problems = [];
  const entries = [];
  const seen = /* @__PURE__ */ new Set();
  const signoffValues = trailerValues(trailers, AI_SIGNOFF);
  const changesValues = trailerValues(trailers, AI_CHANGES_REQUESTED);
  const verdict = looksLikeChangesSubject(subject) || changesValues.length > 0 ? "changes-requested" : "signoff";
  if (signoffValues.length > 0 && verdict === "changes-requested") problems.push({ code: "mixed-verdicts" });
  const listed = verdict === "signoff" ? signoffValues : changesValues;
  for (const value of listed) {
    try {
      const entry = parseSignoffEntry(value);
      const key = `${entry.patchId} ${entry.commitId}`;
      if (!seen.has(key)) {
        seen.add(key);
        entries.push(entry);
      }
    } catch {
      problems.push({ code: "entry", value });
    }
  }
  const ranges = trailerValues(trailers, AI_SIGNOFF_RANGE).map((v) => v.trim().split(/ +/));
  const range2 = verdict === "signoff" && ranges.length === 1 && ranges[0].length === 3 && ranges[0].every(isObjectId) ? { patchId: ranges[0][0], from: ranges[0][1], to: ranges[0][2] } : void 0;
  if (entries.length === 0 && !range2 && !problems.some((p) => p.code === "entry")) problems.push({ code: "no-entries" });
  const count = verdict === "signoff" ? parseSignoffSubject(subject) : parseChangesSubject(subject);
  if (count === void 0) problems.push({ code: "subject", subject });
  else if (count !== listed.length) {
    problems.push({ code: "count-mismatch", subjectCount: count, entries: listed.length });
  }
  const reviewers = trailerValues(trailers, REVIEWED_BY);
  let reviewer;
  if (reviewers.length === 0) problems.push({ code: "reviewer-missing" });
  else if (reviewers.length > 1) problems.push({ code: "reviewer-many", count: reviewers.length });
  else {
    try {
      reviewer = parsePerson(reviewers[0]);
    } catch {
      problems.push({ code: "reviewer-malformed", value: reviewers[0] });
    }
  }
  return { verdict, ...reviewer ? { reviewer } : {}, entries, ...range2 ? { range: range2 } : {}, problems };
}

// src/io/git/parse.ts
function splitNul(output) {
  const parts = output.split("\0");
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}
function parseBlamePorcelain(output) {
  const lines = output.split("\n");
  const filenames = /* @__PURE__ */ new Map();
  const result = [];
  let i = 0;
  while (i < lines.length) {
    const header = lines[i];
    if (header === "") {
      i++;
      continue;
    }
    const m = /^([0-9a-f]{40,64}) (\d+) (\d+)(?: \d+)?$/.exec(header);
    if (!m) throw new Error(`unexpected git blame output: ${header.slice(0, 100)}`);
    const [, commit, orig, final] = m;
    i++;
    while (i < lines.length && !lines[i].startsWith("	")) {
      const line = lines[i];
      if (line.startsWith("filename ")) filenames.set(commit, line.slice("filename ".length));
      i++;
    }
    if (i >= lines.length) throw new Error(`git blame output ends before the text of line ${final}`);
    result.push({
      commit,
      origLine: Number(orig),
      finalLine: Number(final),
      origPath: filenames.get(commit) ?? "",
      text: lines[i].slice(1)
    });
    i++;
  }
  return result;
}
function parseNameOnlyLog(output) {
  const result = /* @__PURE__ */ new Map();
  const tokens = output.split("\0");
  let current;
  let first = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === "") {
      const id = tokens[i + 1];
      if (id === void 0 || id === "") continue;
      current = [];
      result.set(id, current);
      first = true;
      i++;
    } else if (current) {
      current.push(first && token.startsWith("\n") ? token.slice(1) : token);
      first = false;
    }
  }
  return result;
}

// src/io/git/cat-file.ts
var path3 = require("node:path");
var IDLE_MS = 5e3;
var BatchReader = class {
  constructor(root, logger) {
    this.root = root;
    this.logger = logger;
  }
  root;
  logger;
  proc;
  waiting = [];
  outgoing = [];
  chunks = [];
  buffered = 0;
  /** The size of the content being received (after its header), or undefined while a header is expected. */
  bodySize;
  stall;
  idle;
  read(name) {
    if (name === "" || /[\n\r]/.test(name)) return Promise.resolve(void 0);
    const proc = this.proc ??= this.start();
    return new Promise((resolve6, reject) => {
      this.waiting.push({ name, resolve: resolve6, reject });
      if (this.idle) clearTimeout(this.idle);
      this.idle = void 0;
      proc.hold(true);
      this.armStall();
      if (this.outgoing.length === 0) setImmediate(() => this.flush());
      this.outgoing.push(name);
    });
  }
  flush() {
    const names = this.outgoing.splice(0);
    if (names.length > 0) this.proc?.write(`${names.join("\n")}
`);
  }
  start() {
    const proc = startGit(
      ["cat-file", "--batch"],
      { cwd: this.root, logger: this.logger },
      {
        onData: (chunk) => this.receive(chunk),
        // A git closed for being idle ends with nothing waiting; a newer one may be answering by then.
        onExit: (error2) => {
          if (this.proc === proc) this.exited(error2);
        }
      }
    );
    return proc;
  }
  /** Kills a git that stopped answering (a partial clone fetching from a remote that hangs): what waits fails. */
  armStall() {
    if (this.stall) clearTimeout(this.stall);
    this.stall = setTimeout(() => this.proc?.kill(), GIT_TIMEOUT_MS);
    this.stall.unref();
  }
  receive(chunk) {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.armStall();
    for (; ; ) {
      if (this.bodySize === void 0) {
        const buffer2 = this.joined();
        const eol = buffer2.indexOf(10);
        if (eol < 0) return;
        const header = buffer2.subarray(0, eol).toString("utf8");
        this.keep(buffer2.subarray(eol + 1));
        const size = / (?:missing|ambiguous)$/.test(header) ? void 0 : Number(header.split(" ")[2]);
        if (size === void 0 || !Number.isSafeInteger(size) || size < 0) {
          if (size !== void 0) this.logger?.warn(`git cat-file answered an unexpected line: ${header}`);
          this.waiting.shift()?.resolve(void 0);
          this.settled();
          continue;
        }
        this.bodySize = size;
      }
      if (this.buffered < this.bodySize + 1) return;
      const buffer = this.joined();
      const content = Buffer.from(buffer.subarray(0, this.bodySize));
      this.keep(buffer.subarray(this.bodySize + 1));
      this.bodySize = void 0;
      this.waiting.shift()?.resolve(content);
      this.settled();
    }
  }
  joined() {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0];
  }
  keep(rest) {
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
  }
  /** After an answer: with nothing left to ask, let Node exit, and close git after a while. */
  settled() {
    if (this.waiting.length > 0) return;
    if (this.stall) clearTimeout(this.stall);
    this.stall = void 0;
    this.proc?.hold(false);
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      const proc = this.proc;
      this.proc = void 0;
      proc?.end();
    }, IDLE_MS);
    this.idle.unref();
  }
  exited(error2) {
    for (const t of [this.stall, this.idle]) if (t) clearTimeout(t);
    this.stall = this.idle = void 0;
    this.proc = void 0;
    this.chunks = [];
    this.buffered = 0;
    this.bodySize = void 0;
    this.outgoing.length = 0;
    for (const request of this.waiting.splice(0)) request.reject(error2);
  }
};
var readers = /* @__PURE__ */ new Map();
function readObject(root, name, logger) {
  const key = path3.resolve(root);
  let reader = readers.get(key);
  if (!reader) readers.set(key, reader = new BatchReader(key, logger));
  return reader.read(name);
}

// src/io/git/queries.ts
var fs4 = require("node:fs");
var path4 = require("node:path");
async function refsNamedBy(root, rev, logger) {
  const name = /^(.*?)(?:[~^:]|@\{|$)/.exec(rev)?.[1] ?? "";
  if (name === "" || name === "@" || /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(name) || name.startsWith("refs/"))
    return [];
  const candidates = [
    `refs/${name}`,
    `refs/tags/${name}`,
    `refs/heads/${name}`,
    `refs/remotes/${name}`,
    `refs/remotes/${name}/HEAD`
  ];
  const listed = await runGit(["for-each-ref", "--format=%(refname)", "--", ...candidates], { cwd: root, logger });
  const listedRefs = new Set(listed.stdout.split("\n"));
  const found = candidates.filter((ref) => listedRefs.has(ref));
  if (/^[A-Z][A-Z0-9_]*$/.test(name)) {
    if (name === "HEAD" || fs4.existsSync(path4.resolve(root, await git(["rev-parse", "--git-path", name], { cwd: root, logger }))))
      found.unshift(`$GIT_DIR/${name}`);
  }
  if (/^[0-9a-f]{4,63}$/.test(name)) {
    const objects = await runGit(["rev-parse", `--disambiguate=${name}`], { cwd: root, okExitCodes: [0, 128], logger });
    if (objects.stdout.trim() !== "") found.push("object");
  }
  return [...new Set(found)];
}

// src/io/review/base-policy.ts
var POLICY_PATH = ".ai-provenance/policy.json";
var ROSTER_PATH = ".ai-provenance/allowed_signers";
var REVIEWERS_PATH = ".ai-provenance/reviewers";
var CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"];
var CODEOWNERS_MAX_BYTES = 3 * 1024 * 1024;
var BranchReviewError = class extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
  code;
  name = "BranchReviewError";
  /** An ambiguous name is bad input (exit 2); the others are what the clone lacks (exit 3). */
  get cliExitCode() {
    return this.code === "ambiguous" ? USAGE_EXIT : ENVIRONMENT_EXIT;
  }
};
var PolicyFileError = class extends Error {
  constructor(file, base, problem) {
    super(`${file} at ${base}: ${problem.message}`);
    this.file = file;
    this.base = base;
    this.problem = problem;
  }
  file;
  base;
  problem;
  name = "PolicyFileError";
  cliExitCode = USAGE_EXIT;
  headline = "bad policy";
  /** The policy key at fault, for a PolicyError. */
  get key() {
    return this.problem instanceof PolicyError ? this.problem.key : void 0;
  }
};
var OwnersError = class extends Error {
  constructor(problems) {
    super(ownersProblemText(problems));
    this.problems = problems;
  }
  problems;
  name = "OwnersError";
};
async function resolveCommit(root, rev, logger) {
  const { stdout, exitCode } = await runGit(
    ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`],
    {
      cwd: root,
      logger,
      okExitCodes: [0, 1, 128]
    }
  );
  const id = stdout.trim();
  return exitCode === 0 && isObjectId(id) ? id : void 0;
}
async function resolveReviewRevision(root, which2, rev, logger) {
  const refs = await refsNamedBy(root, rev, logger);
  if (refs.length > 1) {
    const shown = refs.map((r) => r === "object" ? "an object id" : r).join(", ");
    const full = refs.find((r) => r.startsWith("refs/remotes/")) ?? refs.find((r) => r.startsWith("refs/heads/")) ?? refs.find((r) => r.startsWith("refs/")) ?? refs[0];
    throw new BranchReviewError(
      "ambiguous",
      `the ${which2} "${rev}" is ambiguous: it names ${shown}. Give the full name of the one you mean, e.g. --${which2} ${full.replace(/^\$GIT_DIR\//, "")}`
    );
  }
  return resolveCommit(root, rev, logger);
}
async function repoFacts(root, logger) {
  const out = (await git(["rev-parse", "--show-object-format", "--is-shallow-repository", "--git-path", "shallow"], {
    cwd: root,
    logger
  })).split("\n");
  return {
    objectFormat: out[0] === "sha256" ? "sha256" : "sha1",
    shallow: out[1] === "true",
    shallowFile: path5.resolve(root, out[2] ?? ".git/shallow")
  };
}
function unknownRevision(code, rev, shallow) {
  const what = code === "unknown-base" ? "base" : code === "unknown-head" ? "head" : "branch";
  const fix = shallow ? `this clone is shallow: fetch the history (git fetch --unshallow origin, or in GitHub Actions actions/checkout with fetch-depth: 0)` : `fetch it (e.g. git fetch origin ${rev.replace(/^origin\//, "")}) or name a commit that exists here`;
  return new BranchReviewError(code, `the ${what} revision '${rev}' is not a commit in this repository: ${fix}`);
}
async function readBlobAt(root, base, entry, logger) {
  if (entry.mode !== "100644" && entry.mode !== "100755") {
    throw new PolicyFileError(
      entry.path,
      base,
      new Error("must be a regular file (it is a link, folder or submodule at base)")
    );
  }
  const text = await git(["cat-file", "blob", entry.oid], { cwd: root, logger });
  if (text.includes("\uFFFD")) throw new PolicyFileError(entry.path, base, new Error("is not UTF-8 text"));
  return text;
}
async function readBasePolicy(root, baseId, baseName, logger = nullLogger) {
  const listing = await git(["ls-tree", "-z", "--full-tree", baseId, "--", POLICY_PATH, ROSTER_PATH], {
    cwd: root,
    logger
  });
  const entries = /* @__PURE__ */ new Map();
  for (const record of splitNul(listing)) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(record);
    if (m) entries.set(m[4], { mode: m[1], oid: m[3], path: m[4] });
  }
  const policyEntry = entries.get(POLICY_PATH);
  const rosterEntry = entries.get(ROSTER_PATH);
  const [policyText, rosterText] = await Promise.all([
    policyEntry ? readBlobAt(root, baseName, policyEntry, logger) : void 0,
    rosterEntry ? readBlobAt(root, baseName, rosterEntry, logger) : void 0
  ]);
  let policy = DEFAULT_POLICY;
  if (policyText !== void 0) {
    try {
      policy = parsePolicy(policyText);
    } catch (error2) {
      if (error2 instanceof PolicyError) throw new PolicyFileError(POLICY_PATH, baseName, error2);
      throw error2;
    }
  }
  let roster;
  if (rosterText !== void 0) {
    try {
      roster = loadRoster(rosterText);
    } catch (error2) {
      if (error2 instanceof RosterError) throw new PolicyFileError(ROSTER_PATH, baseName, error2);
      throw error2;
    }
  }
  return { policy, policySource: policyText === void 0 ? "default" : "base", roster, rosterText };
}
async function readShallow(file) {
  try {
    return new Set(
      (await fsp.readFile(file, "utf8")).split("\n").map((s) => s.trim()).filter(Boolean)
    );
  } catch {
    return /* @__PURE__ */ new Set();
  }
}
async function readBaseOwners(root, baseId, baseName, roster, logger = nullLogger, options = {}) {
  const wanted = options.codeowners === false ? [REVIEWERS_PATH] : [REVIEWERS_PATH, ...CODEOWNERS_PATHS];
  const listing = await git(["ls-tree", "-z", "-l", "--full-tree", baseId, "--", ...wanted], { cwd: root, logger });
  const entries = /* @__PURE__ */ new Map();
  for (const record of splitNul(listing)) {
    const m = /^(\d+) (\w+) ([0-9a-f]+) +(\d+|-)\t(.*)$/s.exec(record);
    if (m) entries.set(m[5], { mode: m[1], oid: m[3], path: m[5], size: m[4] === "-" ? 0 : Number(m[4]) });
  }
  const reviewers = entries.get(REVIEWERS_PATH);
  if (reviewers) {
    const text2 = await readBlobAt(root, baseName, reviewers, logger);
    const { owners: owners2, problems: problems2 } = parseOwners(text2, "reviewers", REVIEWERS_PATH);
    if (roster && !roster.isEmpty) {
      for (const { owner, line } of namedOwners(owners2))
        if (!roster.allowsEmail(owner))
          problems2.push({ line, message: `owner ${owner} is not a senior in ${ROSTER_PATH} at the base` });
    }
    if (problems2.length > 0) {
      problems2.sort((a, b) => a.line - b.line);
      throw new PolicyFileError(REVIEWERS_PATH, baseName, new OwnersError(problems2));
    }
    return owners2;
  }
  if (options.codeowners === false) return void 0;
  const found = CODEOWNERS_PATHS.map((p) => entries.get(p)).find((e) => e !== void 0);
  if (!found) return void 0;
  const where = `${found.path} at ${baseName}`;
  if (found.size > CODEOWNERS_MAX_BYTES) {
    logger.warn(`${where} is larger than 3 MB and is not read (GitHub ignores it too)`);
    return void 0;
  }
  let text;
  try {
    text = await readBlobAt(root, baseName, found, logger);
  } catch (error2) {
    if (!(error2 instanceof PolicyFileError)) throw error2;
    logger.warn(`${where} ${error2.problem.message}: it is not read, so no owners are proposed`);
    return void 0;
  }
  const { owners, problems } = parseOwners(text, "codeowners", found.path);
  for (const p of problems) logger.warn(`${where}, line ${p.line}: ${p.message}; the line is skipped`);
  return owners;
}

// src/io/review/range.ts
var fsp2 = __lazyRequire("node:fs/promises");
var os5 = __lazyRequire("node:os");
var path6 = require("node:path");

// src/core/agents/table.ts
var TOOLS = [
  "copilot",
  "claude-code",
  "codex",
  "gemini-cli",
  "cursor",
  "cline",
  "continue",
  "opencode",
  "qwen-code",
  "ai"
];
var TOOL_TABLE = {
  copilot: {
    displayName: "GitHub Copilot",
    trailerName: "Copilot",
    coAuthor: "Copilot <175728472+Copilot@users.noreply.github.com>",
    extensionIds: ["github.copilot", "github.copilot-chat"]
  },
  "claude-code": {
    displayName: "Claude Code",
    trailerName: "Claude",
    coAuthor: "Claude <noreply@anthropic.com>",
    extensionIds: ["anthropic.claude-code"]
  },
  codex: { displayName: "Codex", trailerName: "Codex", extensionIds: ["openai.chatgpt"] },
  "gemini-cli": { displayName: "Gemini CLI", trailerName: "Gemini", extensionIds: ["google.geminicodeassist"] },
  cursor: { displayName: "Cursor", trailerName: "Cursor", extensionIds: [] },
  cline: { displayName: "Cline", trailerName: "Cline", extensionIds: ["saoudrizwan.claude-dev"] },
  continue: { displayName: "Continue", trailerName: "Continue", extensionIds: ["continue.continue"] },
  opencode: { displayName: "OpenCode", trailerName: "OpenCode", extensionIds: [] },
  "qwen-code": { displayName: "Qwen Code", trailerName: "Qwen", extensionIds: [] },
  ai: { displayName: "an AI assistant", trailerName: "AI", extensionIds: [] }
};
var CLAUDE_TOOLS = "Write|Edit|MultiEdit|NotebookEdit|Bash";
var QWEN_TOOLS = "edit|write_file|run_shell_command|notebook_edit";
var command = (c) => ({ type: "command", command: c, timeout: 10 });
var SHARED_COPILOT_EVENTS = [
  { event: "PreToolUse" },
  { event: "PostToolUse" },
  { event: "Notification" },
  { event: "Stop" }
];
var HOOK_AGENTS = {
  "claude-code": {
    displayName: "Claude Code",
    tool: "claude-code",
    hooks: {
      shape: "grouped",
      events: [
        { event: "PreToolUse", matcher: CLAUDE_TOOLS },
        { event: "PostToolUse", matcher: CLAUDE_TOOLS },
        { event: "PostToolUseFailure", matcher: "Bash" },
        // A turn's end: background shell tasks that ended since are attributed then.
        { event: "Stop" }
      ],
      handler: command
    },
    configPath: { user: [".claude", "settings.json"], project: [".claude", "settings.json"] },
    homeEnv: "CLAUDE_CONFIG_DIR",
    installedMarks: { user: [[".claude"]], project: [[".claude"]] }
  },
  codex: {
    displayName: "Codex",
    tool: "codex",
    hooks: {
      shape: "grouped",
      events: [
        { event: "PreToolUse", matcher: "Bash|apply_patch" },
        { event: "PostToolUse", matcher: "Bash|apply_patch" }
      ],
      handler: command
    },
    configPath: { user: [".codex", "hooks.json"], project: [".codex", "hooks.json"] },
    homeEnv: "CODEX_HOME",
    installedMarks: { user: [[".codex"]], project: [[".codex"]] }
  },
  "gemini-cli": {
    displayName: "Gemini CLI",
    tool: "gemini-cli",
    hooks: {
      shape: "grouped",
      events: [
        { event: "BeforeTool", matcher: "write_file|replace|run_shell_command" },
        { event: "AfterTool", matcher: "write_file|replace|run_shell_command" },
        // A turn's end: shells it moved to the background that ended since are attributed then.
        { event: "AfterAgent" }
      ],
      handler: (c) => ({
        name: PRODUCT.cli,
        type: "command",
        command: c,
        timeout: 1e4,
        description: "AI Provenance: records the files the agent writes"
      })
    },
    configPath: { user: [".gemini", "settings.json"], project: [".gemini", "settings.json"] },
    installedMarks: { user: [[".gemini"]], project: [[".gemini"]] },
    installNote: "Gemini CLI runs hooks by default (0.61 and later; older versions need tools.enableHooks); it works only in a folder you trusted, where it reads the project's .gemini/settings.json"
  },
  cursor: {
    displayName: "Cursor",
    tool: "cursor",
    hooks: {
      shape: "flat",
      scaffold: { version: 1 },
      events: [
        { event: "afterFileEdit" },
        { event: "afterTabFileEdit" },
        { event: "preToolUse", matcher: "Shell" },
        { event: "postToolUse", matcher: "Shell" },
        { event: "postToolUseFailure", matcher: "Shell" }
      ],
      handler: (c) => ({ command: c, timeout: 10 })
    },
    configPath: { user: [".cursor", "hooks.json"], project: [".cursor", "hooks.json"] },
    installedMarks: { user: [[".cursor"]], project: [[".cursor"]] },
    installNote: "restart Cursor so it loads the hooks"
  },
  cline: {
    displayName: "Cline",
    tool: "cline",
    hooks: {
      shape: "executable-files",
      events: [{ event: "PreToolUse" }, { event: "PostToolUse" }]
    },
    configPath: { user: ["Documents", "Cline", "Rules", "Hooks"], project: [".clinerules", "hooks"] },
    moreUserPaths: [[".cline", "hooks"]],
    installedMarks: { user: [["Documents", "Cline"], [".cline"]], project: [[".clinerules"]] }
  },
  vscode: {
    displayName: "VS Code agent",
    hooks: { shape: "flat", events: SHARED_COPILOT_EVENTS, handler: command },
    configPath: {
      user: [".copilot", "hooks", `${PRODUCT.cli}.json`],
      project: [".github", "hooks", `${PRODUCT.cli}.json`]
    },
    installedMarks: { user: [[".copilot"], [".vscode", "extensions"]], project: [[".github", "hooks"]] },
    installNote: "VS Code agent hooks are a preview (1.109 and later); Copilot CLI reads this file too"
  },
  "qwen-code": {
    displayName: "Qwen Code",
    tool: "qwen-code",
    hooks: {
      shape: "grouped",
      events: [
        { event: "PreToolUse", matcher: QWEN_TOOLS },
        { event: "PostToolUse", matcher: QWEN_TOOLS },
        { event: "PostToolUseFailure", matcher: QWEN_TOOLS },
        { event: "Stop" }
      ],
      handler: command
    },
    configPath: { user: [".qwen", "settings.json"], project: [".qwen", "settings.json"] },
    installedMarks: { user: [[".qwen"]], project: [[".qwen"]] }
  },
  opencode: {
    displayName: "OpenCode",
    tool: "opencode",
    hooks: { shape: "plugin-file", events: [{ event: "tool.execute.before" }, { event: "tool.execute.after" }] },
    configPath: {
      user: [".config", "opencode", "plugins", `${PRODUCT.cli}.js`],
      project: [".opencode", "plugins", `${PRODUCT.cli}.js`]
    },
    homeEnv: "XDG_CONFIG_HOME",
    installedMarks: { user: [[".config", "opencode"]], project: [[".opencode"]] },
    installNote: "OpenCode loads plugins when it starts: restart it"
  },
  "copilot-cli": {
    displayName: "Copilot CLI",
    tool: "copilot",
    hooks: { shape: "flat", events: SHARED_COPILOT_EVENTS, handler: command },
    configPath: {
      user: [".copilot", "hooks", `${PRODUCT.cli}.json`],
      project: [".github", "hooks", `${PRODUCT.cli}.json`]
    },
    installedMarks: { user: [[".copilot"]], project: [[".github", "hooks"]] },
    homeEnv: "COPILOT_HOME",
    entryOf: "vscode",
    installNote: "Copilot CLI runs a repository's hooks (.github/hooks) only in a folder you trusted, and your own (~/.copilot/hooks) everywhere; VS Code's agent reads the same entry"
  }
};

// src/core/attribution/origin.ts
var AI_KINDS = ["inline", "partial", "nes", "chat", "agent", "manual"];
function isTool(value) {
  return typeof value === "string" && TOOLS.includes(value);
}
function isAiKind(value) {
  return typeof value === "string" && AI_KINDS.includes(value);
}

// src/core/formats/trailers.ts
var ASSISTED_BY = "Assisted-by";
var AI_ATTRIBUTION = "AI-Attribution";
var FAILED_ATTRIBUTION = "v1 failed";
var TrailerFormatError = class extends Error {
  constructor(value, reason) {
    super(`malformed ${AI_ATTRIBUTION} trailer "${value.slice(0, 200)}": ${reason}`);
    this.value = value;
    this.reason = reason;
  }
  value;
  reason;
  name = "TrailerFormatError";
};
var COUNT = /^(0|[1-9]\d{0,8})$/;
function parseAiAttribution(value) {
  const fields = value.trim().split(/\s+/);
  if (fields[0] !== "v1") throw new TrailerFormatError(value, `it must start with v1, not "${fields[0] ?? ""}"`);
  const seen = /* @__PURE__ */ new Map();
  for (const field2 of fields.slice(1)) {
    const eq = field2.indexOf("=");
    if (eq <= 0) throw new TrailerFormatError(value, `"${field2}" is not key=value`);
    const key = field2.slice(0, eq);
    if (seen.has(key)) throw new TrailerFormatError(value, `${key} appears twice`);
    seen.set(key, field2.slice(eq + 1));
  }
  const count = (key) => {
    const raw = seen.get(key);
    if (raw === void 0) throw new TrailerFormatError(value, `${key}= is missing`);
    if (!COUNT.test(raw)) throw new TrailerFormatError(value, `${key}=${raw} is not a whole number`);
    return Number(raw);
  };
  const result = {
    added: count("added"),
    ai: count("ai"),
    mixed: count("mixed"),
    unknown: count("unknown"),
    tools: []
  };
  const skipped = seen.get("skipped");
  if (skipped !== void 0) {
    if (!COUNT.test(skipped)) throw new TrailerFormatError(value, `skipped=${skipped} is not a whole number`);
    if (Number(skipped) > 0) result.skipped = Number(skipped);
  }
  const deleted = seen.get("deleted");
  if (deleted !== void 0) {
    if (!COUNT.test(deleted)) throw new TrailerFormatError(value, `deleted=${deleted} is not a whole number`);
    if (Number(deleted) > 0) result.deleted = Number(deleted);
  }
  const tools = seen.get("tools");
  if (tools === void 0) throw new TrailerFormatError(value, "tools= is missing");
  for (const item of tools === "" ? [] : tools.split(",")) {
    const m = /^([a-z-]+)\/([a-z]+):(\d+)$/.exec(item);
    if (!m || !COUNT.test(m[3])) throw new TrailerFormatError(value, `"${item}" is not <tool>/<kind>:<lines>`);
    const [, tool, kind, lines] = m;
    if (!TOOLS.includes(tool)) throw new TrailerFormatError(value, `unknown tool "${tool}"`);
    if (!AI_KINDS.includes(kind)) throw new TrailerFormatError(value, `unknown kind "${kind}"`);
    result.tools.push({ tool, kind, lines: Number(lines) });
  }
  if (result.ai + result.mixed + result.unknown > result.added) {
    throw new TrailerFormatError(value, "ai + mixed + unknown is more than added");
  }
  return result;
}

// src/core/pool.ts
async function pooled(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  let failure;
  const worker = async () => {
    while (next < items.length && !failure) {
      const i = next++;
      try {
        results[i] = await task(items[i], i);
      } catch (error2) {
        failure ??= { error: error2 };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}

// src/io/review/range.ts
var PATCH_ID_ARGS = ["patch-id", "--verbatim"];
var LEGACY_PATCH_ID_ARGS = ["patch-id", "--stable"];
var TREE_DIFF_ARGS = [
  "-p",
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
  "--full-index",
  "--no-renames",
  "--diff-algorithm=myers",
  "--indent-heuristic",
  "-U3",
  "--inter-hunk-context=0",
  "--src-prefix=a/",
  "--dst-prefix=b/",
  "--ignore-submodules=none",
  "--submodule=short"
];
var PATCH_DIFF_ARGS = [...TREE_DIFF_ARGS, "--diff-merges=first-parent"];
var PINNED_CONFIG = [
  "-c",
  "log.showRoot=true",
  "-c",
  "diff.relative=false",
  "-c",
  "diff.suppressBlankEmpty=false",
  "-c",
  "core.bigFileThreshold=512m"
];
var TRAILER_CONFIG = ["-c", "trailer.separators=:", "-c", "core.commentChar=#"];
var LOG_FORMAT = "%H%x00%P%x00%T%x00%an%x00%ae%x00%at%x00%ct%x00%ce%x00%s%x00%(trailers:only,unfold,separator=%x00)";
function parseTrailer(text) {
  const colon = text.indexOf(":");
  if (colon <= 0) return void 0;
  return { key: text.slice(0, colon).trim(), value: text.slice(colon + 1).trim() };
}
async function logRange(root, baseId, headId, logger) {
  return logCommits(root, [`${baseId}..${headId}`], logger);
}
async function logCommits(root, revisions, logger) {
  const out = await git(
    [
      ...TRAILER_CONFIG,
      "log",
      "--no-show-signature",
      "--no-color",
      "--topo-order",
      "--reverse",
      `--format=${LOG_FORMAT}`,
      "--stdin",
      "--"
    ],
    { cwd: root, logger, input: `${revisions.join("\n")}
` }
  );
  if (out === "") return [];
  return out.split("\n").map((line) => {
    const [id, parents, tree, name, email, time, committed, committer, subject, ...trailers] = line.split("\0");
    if (!id || !isObjectId(id)) throw new Error(`unexpected git log output: ${JSON.stringify(line.slice(0, 200))}`);
    return {
      id,
      parents: parents ? parents.split(" ") : [],
      tree: tree ?? "",
      author: { name: name ?? "", email: email ?? "" },
      authorTime: Number(time),
      committerTime: Number(committed),
      committerEmail: committer ?? "",
      subject: subject ?? "",
      trailers: trailers.filter((t) => t !== "").map(parseTrailer).filter((t) => t !== void 0)
    };
  });
}
function attributionOf(trailers) {
  const values = trailerValues(trailers, AI_ATTRIBUTION);
  if (values.length === 0) return { kind: "none" };
  if (values.length > 1) return { kind: "malformed", reason: `${values.length} ${AI_ATTRIBUTION} trailers` };
  if (values[0].trim() === FAILED_ATTRIBUTION) return { kind: "failed" };
  try {
    return { kind: "valid", attribution: parseAiAttribution(values[0]) };
  } catch (error2) {
    return { kind: "malformed", reason: error2 instanceof Error ? error2.message : String(error2) };
  }
}
async function scratch() {
  const dir = await fsp2.mkdtemp(path6.join(os5.tmpdir(), "ai-provenance-"));
  return { dir, dispose: () => fsp2.rm(dir, { recursive: true, force: true }) };
}
async function patchIds(root, commits, logger = nullLogger, variant = "verbatim") {
  const result = { ids: /* @__PURE__ */ new Map(), withNul: /* @__PURE__ */ new Set() };
  if (commits.length === 0) return result;
  const { first: bytes, second: out } = await pipeGit(
    [
      ...PINNED_CONFIG,
      "log",
      "--stdin",
      "--no-walk=unsorted",
      "--no-show-signature",
      ...PATCH_DIFF_ARGS,
      "--format=commit %H"
    ],
    [...variant === "verbatim" ? PATCH_ID_ARGS : LEGACY_PATCH_ID_ARGS],
    { cwd: root, input: `${commits.join("\n")}
`, logger }
  );
  if (bytes.includes(0)) {
    const marker = Buffer.from("\ncommit ");
    const starts = [];
    if (bytes.subarray(0, 7).toString("latin1") === "commit ") starts.push(0);
    for (let at = bytes.indexOf(marker); at >= 0; at = bytes.indexOf(marker, at + 1)) starts.push(at + 1);
    starts.forEach((start, i) => {
      const end = starts[i + 1] ?? bytes.length;
      if (bytes.subarray(start, end).includes(0))
        result.withNul.add(
          bytes.subarray(start + 7, start + 7 + 64).toString("latin1").split("\n")[0].trim()
        );
    });
  }
  for (const line of out.split("\n")) {
    const [patchId, commitId] = line.trim().split(" ");
    if (patchId && commitId && isObjectId(patchId) && isObjectId(commitId)) result.ids.set(commitId, patchId);
  }
  return result;
}
var LOG_OF_COMMITS = [
  "-c",
  "log.showRoot=true",
  "log",
  "--stdin",
  "--no-walk=unsorted",
  "--no-show-signature"
];
async function touchedPaths(root, commits, logger = nullLogger) {
  const result = /* @__PURE__ */ new Map();
  if (commits.length === 0) return result;
  const out = await git(
    [...LOG_OF_COMMITS, "-z", "--name-only", "--no-renames", "--diff-merges=first-parent", "--format=%x00%H"],
    { cwd: root, input: `${commits.join("\n")}
`, logger }
  );
  return parseNameOnlyLog(out);
}
async function formerCommits(root, ids, logger) {
  if (ids.length === 0) return [];
  const check = await git(["cat-file", "--batch-check"], { cwd: root, input: `${ids.join("\n")}
`, logger });
  const present = check.split("\n").map((l) => l.split(" ")).filter((p) => p[1] === "commit" && isObjectId(p[0])).map((p) => p[0]);
  if (present.length === 0) return [];
  const out = await git(
    ["log", "--stdin", "--no-walk=unsorted", "--no-show-signature", "--format=%H%x00%an%x00%ae%x00%at"],
    {
      cwd: root,
      input: `${present.join("\n")}
`,
      logger
    }
  );
  return out.split("\n").filter(Boolean).map((line) => {
    const [id, name, email, time] = line.split("\0");
    return { id, author: { name: name ?? "", email: email ?? "" }, authorTime: Number(time) };
  });
}
async function policyCommits(root, baseId, headId, logger = nullLogger) {
  const out = await git(
    ["log", "--full-history", "--no-renames", "--format=%H", `${baseId}..${headId}`, "--", `${PRODUCT.policyDir}/`],
    { cwd: root, logger }
  );
  return new Set(out.split("\n").filter(Boolean));
}
function agentCoAuthors(trailers) {
  const identities = TOOLS.flatMap((t) => {
    const row = TOOL_TABLE[t];
    const email = row.coAuthor ? /<([^>]+)>/.exec(row.coAuthor)?.[1]?.toLowerCase() : void 0;
    return [...email ? [email] : [], ...t === "ai" ? [] : [row.trailerName.toLowerCase()]];
  });
  return trailerValues(trailers, "Co-authored-by").filter((value) => {
    const email = /<([^>]*)>/.exec(value)?.[1]?.toLowerCase();
    const name = value.replace(/<[^>]*>/, "").trim().toLowerCase();
    return email !== void 0 && identities.includes(email) || identities.includes(name);
  });
}
async function changedFilesAtHead(root, baseId, headId, logger = nullLogger) {
  const out = await git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=d", baseId, headId, "--"], {
    cwd: root,
    logger
  });
  return out.split("\0").filter(Boolean);
}
async function landingPaths(root, baseId, headId, commits, files, logger = nullLogger) {
  const result = /* @__PURE__ */ new Map();
  if (commits.size === 0 || files.length === 0) return result;
  await pooled(files, 4, async (file) => {
    const out = await git(
      ["blame", "--porcelain", "-w", "-M", "-C", "-C", "-C", "--ignore-revs-file=", `^${baseId}`, headId, "--", file],
      { cwd: root, logger }
    );
    const found = new Set(
      parseBlamePorcelain(out).map((l) => l.commit).filter((c) => commits.has(c))
    );
    for (const commit of found) {
      const list = result.get(commit) ?? [];
      list.push(file);
      result.set(commit, list);
    }
  });
  for (const list of result.values()) list.sort();
  return result;
}

// src/io/review/signatures.ts
var fsp3 = __lazyRequire("node:fs/promises");
var path7 = require("node:path");

// src/io/ssh/ssh.ts
var import_node_crypto = require("node:crypto");
var SshKeygenError = class extends Error {
  cliExitCode = ENVIRONMENT_EXIT;
  name = "SshKeygenError";
  constructor(message, cause) {
    super(message, cause === void 0 ? void 0 : { cause });
  }
};
async function runSshKeygen(args, options = {}) {
  try {
    return await runProcess("ssh-keygen", args, {
      env: { ...process.env, LC_ALL: "C", LANG: "C" },
      input: options.input ?? "",
      okExitCodes: "any",
      timeoutMs: options.timeoutMs ?? 3e4,
      maxBuffer: 16 * 1024 * 1024,
      logger: options.logger
    });
  } catch (error2) {
    if (!(error2 instanceof ProcessError)) throw error2;
    throw new SshKeygenError(
      error2.reason === "not-found" ? "ssh-keygen was not found: install OpenSSH 8.2 or later (sign-offs are SSH signatures) and make sure it is on PATH" : `ssh-keygen ${args.join(" ")} failed: ${error2.timedOut ? "timed out" : error2.message}`,
      error2
    );
  }
}
function keyFingerprint(base64Key) {
  const digest = (0, import_node_crypto.createHash)("sha256").update(Buffer.from(base64Key, "base64")).digest("base64");
  return `SHA256:${digest.replace(/=+$/, "")}`;
}
var FINGERPRINT = /\bkey (SHA256:[A-Za-z0-9+/]+)/;
async function verifySshSignature(input) {
  const namespace = input.namespace ?? "git";
  const verified = await runSshKeygen(
    ["-Y", "verify", "-f", input.allowedSignersFile, "-I", input.principal, "-n", namespace, "-s", input.signatureFile],
    { input: input.payload, logger: input.logger }
  );
  if (verified.exitCode === 0) {
    const fingerprint3 = FINGERPRINT.exec(verified.stdout + verified.stderr)?.[1];
    return { ok: true, ...fingerprint3 ? { fingerprint: fingerprint3 } : {} };
  }
  const alone = await runSshKeygen(["-Y", "check-novalidate", "-n", namespace, "-s", input.signatureFile], {
    input: input.payload,
    logger: input.logger
  });
  const detail = (verified.stderr || verified.stdout).trim().split("\n").filter(Boolean).slice(-2).join(" / ");
  const fingerprint2 = alone.exitCode === 0 ? FINGERPRINT.exec(alone.stdout + alone.stderr)?.[1] : void 0;
  return { ok: false, signatureValid: alone.exitCode === 0, ...fingerprint2 ? { fingerprint: fingerprint2 } : {}, detail };
}

// src/io/ssh/sshsig.ts
var import_node_crypto2 = require("node:crypto");
var MAGIC = Buffer.from("SSHSIG");
var Reader = class {
  constructor(buf) {
    this.buf = buf;
  }
  buf;
  pos = 0;
  bytes(n) {
    if (this.pos + n > this.buf.length) throw new RangeError("truncated");
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  uint32() {
    return this.bytes(4).readUInt32BE(0);
  }
  string() {
    return this.bytes(this.uint32());
  }
  get done() {
    return this.pos === this.buf.length;
  }
};
function sshString(data) {
  const body = typeof data === "string" ? Buffer.from(data) : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length, 0);
  return Buffer.concat([len, body]);
}
function parseSshSignature(armored) {
  const m = /^-----BEGIN SSH SIGNATURE-----\n([A-Za-z0-9+/=\n]+)-----END SSH SIGNATURE-----\n?$/.exec(armored);
  if (!m) return void 0;
  try {
    const r = new Reader(Buffer.from(m[1].replace(/\s+/g, ""), "base64"));
    if (!r.bytes(6).equals(MAGIC) || r.uint32() !== 1) return void 0;
    const publicKey = r.string();
    const namespace = r.string().toString("utf8");
    const reserved = r.string();
    const hashAlgorithm = r.string().toString("utf8");
    const sigBlob = new Reader(r.string());
    if (!r.done) return void 0;
    const signatureType = sigBlob.string().toString("utf8");
    const signature = sigBlob.string();
    if (!sigBlob.done) return void 0;
    const keyType = new Reader(publicKey).string().toString("utf8");
    return {
      publicKey: publicKey.toString("base64"),
      publicKeyType: keyType,
      namespace,
      reserved,
      hashAlgorithm,
      signatureType,
      signature
    };
  } catch {
    return void 0;
  }
}
function verifyEd25519(sig, message, namespace) {
  if (sig.publicKeyType !== "ssh-ed25519" || sig.signatureType !== "ssh-ed25519" || sig.namespace !== namespace)
    return false;
  if (sig.reserved.length !== 0 || sig.hashAlgorithm !== "sha512" && sig.hashAlgorithm !== "sha256") return false;
  if (sig.signature.length !== 64) return false;
  const key = new Reader(Buffer.from(sig.publicKey, "base64"));
  let raw;
  try {
    key.string();
    raw = key.string();
    if (!key.done || raw.length !== 32) return false;
  } catch {
    return false;
  }
  const digest = (0, import_node_crypto2.createHash)(sig.hashAlgorithm).update(message).digest();
  const signed = Buffer.concat([
    MAGIC,
    sshString(namespace),
    sshString(sig.reserved),
    sshString(sig.hashAlgorithm),
    sshString(digest)
  ]);
  try {
    const publicKey = (0, import_node_crypto2.createPublicKey)({
      key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") },
      format: "jwk"
    });
    return (0, import_node_crypto2.verify)(null, signed, publicKey, sig.signature);
  } catch {
    return false;
  }
}

// src/io/review/signatures.ts
function splitSignedCommit(raw, objectFormat) {
  const header = objectFormat === "sha256" ? "gpgsig-sha256" : "gpgsig";
  const payload = [];
  const signature = [];
  let inSignature = false;
  let otherSignature = false;
  let at = 0;
  while (at < raw.length) {
    const nl = raw.indexOf(10, at);
    const next = nl < 0 ? raw.length : nl + 1;
    const line = raw.subarray(at, next);
    let sig;
    if (inSignature && line[0] === 32) {
      sig = line.subarray(1);
    } else if (line.subarray(0, header.length + 1).toString("latin1") === `${header} `) {
      sig = line.subarray(header.length + 1);
      otherSignature = false;
    } else if (line.subarray(0, 6).toString("latin1") === "gpgsig") {
      otherSignature = true;
    } else if (otherSignature && line[0] !== 32) {
      otherSignature = false;
    }
    if (sig) {
      signature.push(sig);
      inSignature = true;
      at = next;
      continue;
    }
    inSignature = false;
    if (line[0] === 10) {
      payload.push(raw.subarray(at));
      break;
    }
    if (!otherSignature) payload.push(line);
    at = next;
  }
  return {
    payload: Buffer.concat(payload),
    ...signature.length > 0 ? { signature: Buffer.concat(signature).toString("latin1") } : {}
  };
}
async function rawCommits(root, ids, logger) {
  const result = /* @__PURE__ */ new Map();
  if (ids.length === 0) return result;
  const text = await git(["cat-file", "--batch"], { cwd: root, input: `${ids.join("\n")}
`, logger });
  if (!text.includes("\uFFFD")) {
    const bytes = Buffer.from(`${text}
`, "utf8");
    let at = 0;
    for (const id of ids) {
      const nl = bytes.indexOf(10, at);
      const head = bytes.subarray(at, nl).toString("latin1").split(" ");
      const size = Number(head[2]);
      if (head[0] !== id || head[1] !== "commit" || !Number.isSafeInteger(size))
        throw new Error(`unexpected git cat-file output for ${id}`);
      result.set(id, bytes.subarray(nl + 1, nl + 1 + size));
      at = nl + 1 + size + 1;
    }
    return result;
  }
  await Promise.all(
    ids.map(async (id) => {
      const one = await runGit(["cat-file", "commit", id], { cwd: root, logger });
      result.set(id, one.stdout.includes("\uFFFD") ? void 0 : Buffer.from(one.stdout, "utf8"));
    })
  );
  return result;
}
function principalsOfKey(roster, fingerprint2) {
  return [
    ...new Set(
      roster.entries.filter((e) => !e.certAuthority && keyFingerprint(e.key) === fingerprint2).flatMap((e) => e.principals)
    )
  ];
}
function verifiedInProcess(armored, payload, roster, principal) {
  const sig = parseSshSignature(armored);
  if (!sig || !verifyEd25519(sig, payload, "git")) return void 0;
  const plain = roster.entriesForKey(sig.publicKeyType, sig.publicKey).filter((e) => e.validAfter === void 0 && e.validBefore === void 0 && e.namespaces === void 0);
  const ascii = (t) => /^[\x20-\x7e]*$/.test(t);
  if (!ascii(principal) || plain.some((e) => !e.principals.every(ascii))) return void 0;
  return plain.some((e) => matchPrincipal(e.principals, principal)) ? keyFingerprint(sig.publicKey) : void 0;
}
async function checkSignatures(input) {
  const { basePolicy, logger } = input;
  const result = /* @__PURE__ */ new Map();
  const toVerify = input.candidates.filter((c) => {
    if (!basePolicy.roster || basePolicy.roster.isEmpty || basePolicy.rosterText === void 0)
      result.set(c.id, { status: "no-roster" });
    else if (!c.wellFormed || c.reviewerEmail === void 0) result.set(c.id, { status: "not-checked" });
    else if (!basePolicy.policy.signoff.requireSignature && input.alwaysVerify !== true)
      result.set(c.id, { status: "not-required" });
    else return true;
    return false;
  });
  if (toVerify.length === 0) return result;
  const prefix = input.filePrefix ?? "";
  const allowed = path7.join(input.scratchDir, `${prefix}allowed_signers`);
  await fsp3.writeFile(allowed, basePolicy.rosterText, { mode: 384 });
  const raws = await rawCommits(
    input.root,
    toVerify.map((c) => c.id),
    logger
  );
  await pooled(toVerify, input.concurrency, async (c, i) => {
    const raw = raws.get(c.id);
    if (!raw) {
      result.set(c.id, { status: "unreadable", detail: "the commit object holds bytes that are not UTF-8" });
      return;
    }
    const { payload, signature } = splitSignedCommit(raw, input.objectFormat);
    if (signature === void 0) {
      result.set(c.id, { status: "unsigned" });
      return;
    }
    if (!signature.startsWith("-----BEGIN SSH SIGNATURE-----")) {
      result.set(c.id, { status: "not-ssh" });
      return;
    }
    const fast = verifiedInProcess(signature, payload, basePolicy.roster, c.reviewerEmail);
    if (fast) {
      result.set(c.id, {
        status: "verified",
        principal: c.reviewerEmail,
        fingerprint: fast,
        keyPrincipals: principalsOfKey(basePolicy.roster, fast)
      });
      return;
    }
    const signatureFile = path7.join(input.scratchDir, `${prefix}sig-${i}`);
    await fsp3.writeFile(signatureFile, signature, { mode: 384 });
    const outcome = await verifySshSignature({
      allowedSignersFile: allowed,
      principal: c.reviewerEmail,
      signatureFile,
      payload,
      logger
    });
    if (outcome.ok) {
      const keyPrincipals = outcome.fingerprint ? principalsOfKey(basePolicy.roster, outcome.fingerprint) : void 0;
      result.set(c.id, {
        status: "verified",
        principal: c.reviewerEmail,
        ...outcome.fingerprint ? { fingerprint: outcome.fingerprint } : {},
        ...keyPrincipals ? { keyPrincipals } : {}
      });
    } else if (outcome.signatureValid) {
      result.set(c.id, {
        status: "unknown-signer",
        detail: outcome.detail,
        ...outcome.fingerprint ? { fingerprint: outcome.fingerprint } : {}
      });
    } else {
      result.set(c.id, { status: "bad-signature", detail: outcome.detail });
    }
  });
  return result;
}

// src/core/review/profile.ts
function unattested(commit, policy, trailerAi) {
  if (commit.signoffWithChanges) return { code: "unattested", why: "signoff-with-changes" };
  if (commit.attribution.kind === "failed") return { code: "unattested", why: "hook-failed" };
  if (commit.attribution.kind === "valid" && (commit.attribution.attribution.skipped ?? 0) > 0)
    return { code: "unattested", why: "incomplete" };
  const credited = (commit.assistedBy?.length ?? 0) > 0 || (commit.agentCoAuthors?.length ?? 0) > 0;
  const deleted = commit.attribution.kind === "valid" ? commit.attribution.attribution.deleted ?? 0 : 0;
  if (credited && (trailerAi ?? 0) === 0 && deleted === 0) return { code: "unattested", why: "credited-agent" };
  if (commit.noteAiLines !== void 0 && commit.noteAiLines > (trailerAi ?? 0))
    return { code: "unattested", why: "note-disagrees" };
  if (commit.noteRemovedLines !== void 0 && commit.noteRemovedLines > deleted)
    return { code: "unattested", why: "note-disagrees" };
  if (policy.trailers.onEveryCommit && commit.attribution.kind === "none")
    return { code: "unattested", why: "no-trailer" };
  if (commit.bodyClaims) return { code: "unattested", why: "message-body" };
  return void 0;
}
function reviewNeed(commit, policy, matchers) {
  if (commit.patchId === void 0) return { needsSignoff: false, notNeeded: "no-changes", highRiskPaths: [] };
  const paths = commit.paths ?? [];
  const ignored = (p) => matchers.ignore.matches(p) && !matchers.highRisk.matches(p);
  const touched = new Set(paths);
  const landedIn = (commit.landingPaths ?? []).filter((p) => !touched.has(p) && !ignored(p));
  const where = [...paths, ...landedIn];
  const highRiskPaths = where.filter((p) => matchers.highRisk.matches(p));
  const moved = landedIn.length > 0 ? { landedIn } : {};
  if (commit.touchesPolicy) return { needsSignoff: true, highRiskPaths, ...moved, reason: { code: "policy-change" } };
  if (where.length > 0 && where.every(ignored)) return { needsSignoff: false, notNeeded: "ignored", highRiskPaths };
  if (commit.attribution.kind === "malformed") return { needsSignoff: true, highRiskPaths, ...moved };
  const trailerAi = commit.attribution.kind === "valid" ? commit.attribution.attribution.ai + commit.attribution.attribution.mixed : void 0;
  const reason = unattested(commit, policy, trailerAi);
  const deleted = policy.signoff.aiDeletions ? Math.max(
    commit.attribution.kind === "valid" ? commit.attribution.attribution.deleted ?? 0 : 0,
    commit.noteRemovedLines ?? 0
  ) : 0;
  const aiLines = Math.max(trailerAi ?? 0, commit.noteAiLines ?? 0) + deleted;
  if (reason) return { needsSignoff: true, aiLines, highRiskPaths, ...moved, reason };
  if (aiLines === 0) return { needsSignoff: false, notNeeded: "no-ai-lines", aiLines, highRiskPaths };
  if (highRiskPaths.length === 0 && aiLines < policy.signoff.minAiLines) {
    return { needsSignoff: false, notNeeded: "below-threshold", aiLines, highRiskPaths, ...moved };
  }
  return { needsSignoff: true, aiLines, highRiskPaths, ...moved };
}

// src/core/review/review.ts
var REVIEW_STATES = [
  "pending",
  "requested",
  "signed-off",
  "self-signed",
  "stale",
  "unverified",
  "changes-requested"
];
var DONE_STATES = ["signed-off", "self-signed"];
function isDone(state) {
  return state !== void 0 && DONE_STATES.includes(state);
}
function removedLineCount(file) {
  return (file.removed ?? []).reduce((n, r) => n + r.end - r.start + 1, 0);
}
function ancestry(graph) {
  const index = /* @__PURE__ */ new Map();
  for (const id of graph.keys()) index.set(id, index.size);
  const parents = [];
  for (const [id, ps] of graph) {
    const list = [];
    for (const p of ps) {
      const i = index.get(p);
      if (i !== void 0) list.push(i);
    }
    parents[index.get(id)] = list;
  }
  const reached = /* @__PURE__ */ new Map();
  return (from, to) => {
    const start = index.get(from);
    const target = index.get(to);
    if (start === void 0 || target === void 0) return false;
    let seen = reached.get(start);
    if (!seen) {
      seen = new Uint8Array(index.size);
      const stack = [start];
      while (stack.length > 0) {
        const i = stack.pop();
        if (seen[i]) continue;
        seen[i] = 1;
        for (const p of parents[i]) if (!seen[p]) stack.push(p);
      }
      reached.set(start, seen);
    }
    return seen[target] === 1;
  };
}
function isSigner(signer, email) {
  return sameEmail(signer.email, email) || signer.principals !== void 0 && matchPrincipal(
    signer.principals.map((p) => normalizeAddress(p)),
    normalizeAddress(email)
  );
}
function push(map, key, value) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
function normalizeAddress(email) {
  return email.normalize("NFKC").replace(/[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g, "").trim().toLowerCase();
}
function sameEmail(a, b) {
  return normalizeAddress(a) === normalizeAddress(b);
}
function signoffDefects(s, input) {
  const defects = [];
  if (s.parsed.problems.length > 0) defects.push("malformed");
  if (s.parents.length > 1) defects.push("merge");
  if (!s.empty) defects.push("not-empty");
  const reviewer = s.parsed.reviewer;
  let signer;
  const sig = s.signature;
  if (!input.roster || input.roster.isEmpty) {
    defects.push("no-roster");
  } else if (sig.status === "verified") {
    if (reviewer && sameEmail(sig.principal, reviewer.email)) {
      signer = {
        email: reviewer.email,
        name: reviewer.name,
        ...sig.fingerprint ? { fingerprint: sig.fingerprint } : {},
        ...sig.keyPrincipals ? { principals: sig.keyPrincipals } : {}
      };
    } else if (reviewer) {
      defects.push("unknown-signer");
    }
  } else if (sig.status === "not-required") {
    if (input.policy.signoff.requireSignature) defects.push("unsigned");
    else if (reviewer && input.roster.allows(reviewer.email)) signer = { email: reviewer.email, name: reviewer.name };
    else defects.push("unknown-signer");
  } else if (sig.status === "not-checked") {
    if (!defects.includes("malformed")) defects.push("malformed");
  } else {
    defects.push(sig.status);
  }
  return signer && defects.length === 0 ? { defects, signer } : { defects };
}
function sameSigner(a, b) {
  return sameEmail(a.email, b.email) || a.fingerprint !== void 0 && a.fingerprint === b.fingerprint;
}
function distinctSigners(signers) {
  const groups = [];
  for (const s of signers) {
    const joined = groups.filter(
      (g) => g.some((o) => sameEmail(o.email, s.email) || o.fingerprint !== void 0 && o.fingerprint === s.fingerprint)
    );
    const merged = [s, ...joined.flat()];
    for (const g of joined) groups.splice(groups.indexOf(g), 1);
    groups.push(merged);
  }
  return groups.map((g) => g[g.length - 1]);
}
function computeReview(input) {
  const matchers = policyMatchers(input.policy);
  const { highRiskSigners, allowSelfSignoff } = input.policy.signoff;
  const former = new Map((input.formerCommits ?? []).map((f) => [f.id, f]));
  const descends = ancestry(input.graph);
  const signoffs = input.signoffs.map((s) => ({ facts: s, ...signoffDefects(s, input) }));
  const covers = new Map(signoffs.map((s) => [s.facts.id, []]));
  const byPatch = /* @__PURE__ */ new Map();
  const byId = /* @__PURE__ */ new Map();
  for (const c of input.commits) {
    byId.set(c.id, c);
    if (c.patchId !== void 0) push(byPatch, c.patchId, c);
  }
  const byAuthor = /* @__PURE__ */ new Map();
  for (const c of input.commits) {
    push(byAuthor, `${c.author.email.toLowerCase()} ${c.authorTime}`, c);
  }
  const twinsOf = (listed) => {
    const f = former.get(listed);
    return f ? byAuthor.get(`${f.author.email.toLowerCase()} ${f.authorTime}`) ?? [] : [];
  };
  const claimsOf = /* @__PURE__ */ new Map();
  for (const s of signoffs) {
    const matched = /* @__PURE__ */ new Map();
    for (const e of s.facts.parsed.entries)
      for (const c of byPatch.get(e.patchId) ?? []) matched.set(c.id, { match: "patch" });
    for (const e of s.facts.parsed.entries) {
      const same = byId.get(e.commitId);
      if (same?.legacyPatchId !== void 0 && same.legacyPatchId === e.patchId && !matched.has(same.id))
        matched.set(same.id, { match: "patch" });
      for (const c of same ? [same, ...twinsOf(e.commitId)] : twinsOf(e.commitId)) {
        if (!matched.has(c.id)) matched.set(c.id, { match: "stale", listedPatchId: e.patchId });
      }
    }
    for (const [commitId, m] of matched) {
      if (commitId === s.facts.id || !input.signoffsAnywhere && !descends(s.facts.id, commitId)) continue;
      const c = byId.get(commitId);
      covers.get(s.facts.id).push(commitId);
      const defects = [...s.defects];
      const changes = s.facts.parsed.verdict === "changes-requested";
      if (s.signer && !changes && !allowSelfSignoff && isSigner(s.signer, c.author.email)) defects.push("self-signoff");
      const claim = {
        signoff: s.facts.id,
        match: m.match,
        defects,
        ...defects.length === 0 && s.signer ? { signer: s.signer } : {},
        ...m.listedPatchId ? { listedPatchId: m.listedPatchId } : {},
        ...changes ? { verdict: "changes-requested" } : {}
      };
      push(claimsOf, commitId, claim);
    }
  }
  const needs = new Map(input.commits.map((c) => [c.id, reviewNeed(c, input.policy, matchers)]));
  const branchAiLines = [...needs.values()].filter((n) => n.needsSignoff || n.notNeeded === "below-threshold").reduce((sum, n) => sum + (n.aiLines ?? 0), 0);
  if (branchAiLines >= input.policy.signoff.minAiLines) {
    for (const [id, n] of needs) {
      if (n.notNeeded !== "below-threshold") continue;
      const { notNeeded: _below, ...rest } = n;
      needs.set(id, { ...rest, needsSignoff: true, reason: { code: "branch-threshold", branchAiLines } });
    }
  }
  const ownersOfPath = pathOwners(input);
  const commits = input.commits.map((c) => {
    const need = needs.get(c.id);
    const highRisk = need.highRiskPaths.length > 0;
    const requiredSigners = highRisk ? highRiskSigners : 1;
    let claims = claimsOf.get(c.id) ?? [];
    const asked = claims.filter(
      (cl) => cl.verdict === "changes-requested" && cl.defects.length === 0 && cl.match === "patch"
    );
    const withdrawn = (cl) => asked.some((a) => a.signer && cl.signer && sameSigner(a.signer, cl.signer) && descends(a.signoff, cl.signoff));
    const signoffSigners = distinctSigners(
      claims.filter((cl) => cl.verdict === void 0 && cl.defects.length === 0 && cl.match === "patch" && !withdrawn(cl)).map((cl) => cl.signer)
    );
    const request = [...input.requests ?? []].filter((r) => r.commits.some((rc) => rc.id === c.id || c.patchId !== void 0 && rc.patchId === c.patchId)).sort((a, b) => a.at < b.at ? 1 : a.at > b.at ? -1 : 0)[0];
    const blocker = !input.roster || input.roster.isEmpty ? "no-roster" : c.patchHasNul ? "patch-has-nul" : void 0;
    let selfSigner = blocker ? void 0 : selfSignerOf(c, input);
    let routing;
    let counted = signoffSigners;
    let covered = (_set) => true;
    if (input.ownership && ownersOfPath && need.needsSignoff) {
      const enforced = input.ownership.source === "reviewers";
      const owned = aiTouchedPaths(c, need.landedIn, enforced).map((path14) => ({ path: path14, owners: ownersOfPath(path14) })).filter((p) => p.owners.length > 0);
      const ownsSome = (s) => owned.some((p) => owns(s, p.owners));
      const uncoveredBy = (set) => owned.filter((p) => !set.some((s) => owns(s, p.owners))).map((p) => p.path);
      const everyone = selfSigner ? [...signoffSigners, selfSigner] : signoffSigners;
      let uncovered = [];
      if (enforced && owned.length > 0) {
        covered = (set) => uncoveredBy(set).length === 0;
        uncovered = uncoveredBy(everyone);
        if (uncovered.length > 0) {
          counted = signoffSigners.filter(ownsSome);
          if (selfSigner && !ownsSome(selfSigner)) selfSigner = void 0;
          claims = claims.map(
            (cl) => cl.verdict === void 0 && cl.defects.length === 0 && cl.match === "patch" && cl.signer && !ownsSome(cl.signer) ? {
              signoff: cl.signoff,
              match: cl.match,
              defects: ["not-owner"],
              ...cl.listedPatchId ? { listedPatchId: cl.listedPatchId } : {}
            } : cl
          );
        }
      }
      const seniors = [];
      for (const p of owned) for (const o of p.owners) if (!seniors.some((x) => sameEmail(x, o))) seniors.push(o);
      routing = {
        source: input.ownership.source,
        file: input.ownership.file,
        enforced,
        paths: owned,
        seniors,
        uncovered
      };
    }
    const valid = claims.filter((cl) => cl.verdict === void 0 && cl.defects.length === 0 && !withdrawn(cl));
    const withSelf = selfSigner ? distinctSigners([...counted, selfSigner]) : counted;
    let state;
    if (need.needsSignoff) {
      if (!blocker && counted.length >= requiredSigners && covered(counted)) state = "signed-off";
      else if (!blocker && selfSigner && withSelf.length >= requiredSigners && covered(withSelf)) state = "self-signed";
      else if (asked.length > 0) state = "changes-requested";
      else if (claims.some((cl) => cl.verdict === void 0 && cl.defects.length > 0)) state = "unverified";
      else if (valid.some((cl) => cl.match === "stale")) state = "stale";
      else if (request) state = "requested";
      else state = "pending";
    }
    const signers = state === "signed-off" ? counted : withSelf;
    return {
      commit: c,
      needsSignoff: need.needsSignoff,
      ...need.notNeeded ? { notNeeded: need.notNeeded } : {},
      ...need.aiLines !== void 0 ? { aiLines: need.aiLines } : {},
      ...need.reason ? { needReason: need.reason } : {},
      highRisk,
      highRiskPaths: need.highRiskPaths,
      ...need.landedIn && need.landedIn.length > 0 ? { landedIn: need.landedIn } : {},
      requiredSigners,
      ...state ? { state } : {},
      signers,
      claims,
      ...request ? { request } : {},
      ...need.needsSignoff && blocker ? { blocker } : {},
      ...routing ? { routing } : {},
      ...need.needsSignoff && selfSigner && state !== "signed-off" ? { selfSigned: selfSigner } : {}
    };
  });
  const counts = Object.fromEntries(REVIEW_STATES.map((s) => [s, 0]));
  for (const c of commits) if (c.state) counts[c.state]++;
  const needingSignoff = commits.filter((c) => c.needsSignoff).length;
  const notes = [];
  if (!input.roster) notes.push({ code: "no-roster" });
  else if (input.roster.isEmpty) notes.push({ code: "empty-roster" });
  else if (commits.some((c) => c.needsSignoff && c.highRisk) && input.roster.signerCapacity() < highRiskSigners) {
    notes.push({ code: "signers-exceed-roster", required: highRiskSigners, available: input.roster.signerCapacity() });
  }
  return {
    commits,
    signoffs: signoffs.map((s) => ({
      facts: s.facts,
      defects: s.defects,
      ...s.signer ? { signer: s.signer } : {},
      covers: covers.get(s.facts.id)
    })),
    counts,
    needingSignoff,
    ok: counts["signed-off"] + counts["self-signed"] === needingSignoff,
    notes
  };
}
function selfSignerOf(c, input) {
  if (!input.policy.signoff.seniorSignedCommits || !input.roster || input.roster.isEmpty) return void 0;
  if (c.touchesPolicy) return void 0;
  const sig = c.authorSignature;
  if (sig?.status !== "verified" || !sameEmail(sig.principal, c.author.email)) return void 0;
  return {
    email: c.author.email,
    name: c.author.name,
    ...sig.fingerprint ? { fingerprint: sig.fingerprint } : {},
    ...sig.keyPrincipals ? { principals: sig.keyPrincipals } : {}
  };
}
function pathOwners(input) {
  const ownership = input.ownership;
  if (!ownership) return void 0;
  const roster = input.roster;
  const cache = /* @__PURE__ */ new Map();
  return (path14) => {
    let owners = cache.get(path14);
    if (!owners) {
      owners = roster && !roster.isEmpty ? ownersOf(ownership, path14).filter((o) => roster.allowsEmail(o)) : [];
      cache.set(path14, owners);
    }
    return owners;
  };
}
function aiTouchedPaths(c, landedIn, enforced) {
  const touched = c.paths;
  if (touched === void 0 && enforced)
    throw new Error(`the paths of ${c.id} were not loaded, so its owners cannot be checked`);
  const all = [.../* @__PURE__ */ new Set([...touched ?? [], ...landedIn ?? []])];
  if (enforced) return all;
  const noted = (c.aiPaths ?? []).filter((p) => p.aiLines > 0 || removedLineCount(p) > 0).map((p) => p.path).filter((p) => touched === void 0 || touched.includes(p));
  return noted.length > 0 ? [...new Set(noted)] : all;
}
function owns(signer, owners) {
  return owners.some(
    (o) => sameEmail(signer.email, o) || (signer.principals ?? []).some((p) => !/[*?!]/.test(p) && sameEmail(p, o))
  );
}
function parseReviewRequest(value) {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error("a review request must be an object");
  const v = value;
  const str = (x) => typeof x === "string";
  if (!str(v.at) || Number.isNaN(Date.parse(v.at))) throw new Error('review request: "at" must be an ISO time');
  if (!Array.isArray(v.to) || !v.to.every(str))
    throw new Error('review request: "to" must be a list of e-mail addresses');
  if (!Array.isArray(v.commits)) throw new Error('review request: "commits" must be a list');
  const commits = v.commits.map((c) => {
    const o = c;
    if (typeof o !== "object" || o === null || !str(o.id)) throw new Error('review request: each commit needs an "id"');
    if (o.patchId !== void 0 && !str(o.patchId)) throw new Error('review request: "patchId" must be a string');
    return { id: o.id, ...str(o.patchId) ? { patchId: o.patchId } : {} };
  });
  for (const k of ["by", "base", "head", "branch", "ref"]) {
    if (v[k] !== void 0 && !str(v[k])) throw new Error(`review request: "${k}" must be a string`);
  }
  return {
    at: v.at,
    to: v.to,
    commits,
    ...str(v.by) ? { by: v.by } : {},
    ...str(v.base) ? { base: v.base } : {},
    ...str(v.head) ? { head: v.head } : {},
    ...str(v.branch) ? { branch: v.branch } : {},
    ...str(v.ref) ? { ref: v.ref } : {}
  };
}

// src/io/review/commit-facts.ts
function commitEvidence(c, touchingPolicy, notes) {
  const aiPaths = notes.get(c.id);
  return {
    c,
    attribution: attributionOf(c.trailers),
    assistedBy: trailerValues(c.trailers, ASSISTED_BY),
    coAuthors: agentCoAuthors(c.trailers),
    touchesPolicy: touchingPolicy.has(c.id),
    aiPaths,
    noteAiLines: aiPaths?.reduce((n, p) => n + p.aiLines, 0),
    noteRemovedLines: aiPaths?.reduce((n, p) => n + removedLineCount(p), 0)
  };
}
function isReviewed(x, onEveryCommit) {
  return x.attribution.kind !== "none" || x.assistedBy.length > 0 || x.coAuthors.length > 0 || x.touchesPolicy || (x.noteAiLines ?? 0) > 0 || (x.noteRemovedLines ?? 0) > 0 || onEveryCommit;
}
function hasAiLineEvidence(x) {
  const a = x.attribution;
  return a.kind === "valid" && a.attribution.ai + a.attribution.mixed + (a.attribution.skipped ?? 0) + (a.attribution.deleted ?? 0) > 0 || a.kind === "failed" || a.kind === "malformed" || (x.noteAiLines ?? 0) > 0 || (x.noteRemovedLines ?? 0) > 0 || x.assistedBy.length > 0 || x.coAuthors.length > 0;
}
function commitFacts(x, loaded, extra = {}) {
  const { c } = x;
  const patchId = loaded.patches.ids.get(c.id);
  const legacyPatchId = loaded.legacy?.ids.get(c.id);
  const filePaths = loaded.paths?.get(c.id);
  const landing = loaded.landing?.get(c.id);
  return {
    id: c.id,
    parents: c.parents,
    subject: c.subject,
    author: c.author,
    authorTime: c.authorTime,
    attribution: x.attribution,
    assistedBy: x.assistedBy,
    ...x.coAuthors.length > 0 ? { agentCoAuthors: x.coAuthors } : {},
    ...x.touchesPolicy ? { touchesPolicy: true } : {},
    ...x.noteAiLines !== void 0 ? { noteAiLines: x.noteAiLines } : {},
    ...x.noteRemovedLines !== void 0 ? { noteRemovedLines: x.noteRemovedLines } : {},
    ...extra.signoffWithChanges ? { signoffWithChanges: true } : {},
    ...extra.bodyClaims ? { bodyClaims: true } : {},
    ...extra.gateSetup ? { gateSetup: true } : {},
    ...patchId ? { patchId } : {},
    ...legacyPatchId && legacyPatchId !== patchId ? { legacyPatchId } : {},
    ...loaded.patches.withNul.has(c.id) ? { patchHasNul: true } : {},
    ...filePaths ? { paths: filePaths } : {},
    ...landing ? { landingPaths: landing } : {},
    ...x.aiPaths ? { aiPaths: x.aiPaths } : {}
  };
}

// src/io/review/branch-review.ts
var os7 = __lazyRequire("node:os");

// src/core/formats/git-note.ts
var VENDOR_KEY = "dev.ai-provenance";
function parseRemovedLines(text) {
  const record = noteRecord(text);
  const list = record?.metadata?.[VENDOR_KEY]?.removed;
  if (!Array.isArray(list)) return [];
  const out = [];
  for (const entry of list) {
    const e = entry;
    if (typeof e?.path !== "string" || !isTool(e.tool) || !isAiKind(e.kind) || !Array.isArray(e.ranges)) continue;
    const ranges = [];
    for (const r of e.ranges) {
      const range2 = lineRange(r);
      if (range2 && range2.end_line <= MAX_NOTE_LINES) ranges.push(range2);
    }
    if (ranges.length === 0) continue;
    out.push({
      path: e.path,
      tool: e.tool,
      kind: e.kind,
      ...typeof e.model === "string" ? { model: e.model } : {},
      ranges
    });
  }
  return out;
}
var AgentTraceFormatError = class extends Error {
  name = "AgentTraceFormatError";
};
function firstRecord(text) {
  const blank = /\n[ \t]*\n(?=[ \t]*\{)/.exec(text);
  return blank ? text.slice(0, blank.index + 1) : text;
}
var MAX_NOTE_LINES = 2e6;
function noteRecord(text) {
  try {
    return JSON.parse(firstRecord(text));
  } catch (error2) {
    throw new AgentTraceFormatError(`the note is not JSON: ${error2.message}`, { cause: error2 });
  }
}
function lineRange(value) {
  const r = value;
  const start = Number(r?.start_line);
  const end = Number(r?.end_line);
  return Number.isInteger(start) && Number.isInteger(end) && start >= 1 && end >= start ? { start_line: start, end_line: end } : void 0;
}
function parseAgentTrace(text) {
  let listed = 0;
  const r = noteRecord(text);
  if (typeof r !== "object" || r === null || !Array.isArray(r.files))
    throw new AgentTraceFormatError("the note has no files array");
  const vendorFiles = r.metadata?.[VENDOR_KEY]?.files;
  const out = /* @__PURE__ */ new Map();
  r.files.forEach((file, fi) => {
    if (typeof file?.path !== "string" || !Array.isArray(file.conversations))
      throw new AgentTraceFormatError(`files[${fi}] is malformed`);
    const lines = out.get(file.path) ?? /* @__PURE__ */ new Map();
    const vendorConversations = vendorFiles?.[fi]?.path === file.path ? vendorFiles[fi].conversations : void 0;
    file.conversations.forEach((conv, ci) => {
      const type = conv?.contributor?.type;
      const cls = type === "ai" ? "a" : type === "mixed" ? "m" : type === "unknown" ? "u" : void 0;
      if (!cls || !Array.isArray(conv.ranges)) return;
      const v = vendorConversations?.[ci];
      const info = { cls };
      if (cls !== "u") {
        info.tool = isTool(v?.tool) ? v.tool : "ai";
        if (isAiKind(v?.kind)) info.kind = v.kind;
        if (typeof conv.contributor.model_id === "string") info.model = conv.contributor.model_id;
      }
      for (const range2 of conv.ranges) {
        const valid = lineRange(range2);
        if (!valid) continue;
        const { start_line: start, end_line: end } = valid;
        listed += end - start + 1;
        if (listed > MAX_NOTE_LINES)
          throw new AgentTraceFormatError(`the note lists more than ${MAX_NOTE_LINES} lines, more than any commit has`);
        for (let line = start; line <= end; line++) lines.set(line, info);
      }
    });
    out.set(file.path, lines);
  });
  return out;
}

// src/io/git/staged.ts
async function readBlobs(root, ids, options = {}) {
  const unique = [...new Set(ids)];
  const contents = await Promise.all(unique.map((id) => readObject(root, id, options.logger)));
  const result = /* @__PURE__ */ new Map();
  unique.forEach((id, i) => {
    const content = contents[i];
    if (content !== void 0) result.set(id, content);
  });
  return result;
}

// src/io/git/notes.ts
async function readNotes(root, commits) {
  const result = /* @__PURE__ */ new Map();
  if (commits.length === 0) return result;
  const list = await runGit(["notes", "--ref", PRODUCT.notesRef, "list"], { cwd: root, okExitCodes: [0, 1] });
  const wanted = new Set(commits);
  const blobs = /* @__PURE__ */ new Map();
  for (const line of list.stdout.split("\n")) {
    const [blob, commit] = line.split(" ");
    if (blob && commit && wanted.has(commit)) blobs.set(commit, blob);
  }
  const contents = await readBlobs(root, [...blobs.values()]);
  for (const [commit, blob] of blobs) {
    const content = contents.get(blob);
    if (content) result.set(commit, content.toString("utf8"));
  }
  return result;
}
function notesLineSource(root) {
  return {
    name: "notes",
    async lines(commitIds) {
      const out = /* @__PURE__ */ new Map();
      for (const [commit, note] of await readNotes(root, commitIds)) {
        let parsed;
        let removedByPath;
        try {
          parsed = parseAgentTrace(note);
          removedByPath = /* @__PURE__ */ new Map();
          for (const r of parseRemovedLines(note)) {
            const list = removedByPath.get(r.path) ?? [];
            for (const range2 of r.ranges)
              list.push({
                start: range2.start_line,
                end: range2.end_line,
                tool: r.tool,
                kind: r.kind,
                ...r.model !== void 0 ? { model: r.model } : {}
              });
            removedByPath.set(r.path, list);
          }
        } catch {
          continue;
        }
        const files = [];
        for (const [path14, lines] of parsed) {
          const ranges = [];
          let aiLines = 0;
          for (const line of [...lines.keys()].sort((a, b) => a - b)) {
            const info = lines.get(line);
            if (info.cls !== "a" && info.cls !== "m") continue;
            aiLines++;
            const last = ranges[ranges.length - 1];
            if (last && last.end === line - 1 && last.tool === info.tool && last.kind === info.kind && last.model === info.model)
              last.end = line;
            else
              ranges.push({
                start: line,
                end: line,
                ...info.tool ? { tool: info.tool } : {},
                ...info.kind ? { kind: info.kind } : {},
                ...info.model ? { model: info.model } : {}
              });
          }
          const removed = removedByPath.get(path14);
          removedByPath.delete(path14);
          if (aiLines > 0 || removed) files.push({ path: path14, aiLines, ranges, ...removed ? { removed } : {} });
        }
        for (const [path14, removed] of removedByPath) files.push({ path: path14, aiLines: 0, ranges: [], removed });
        out.set(commit, files);
      }
      return out;
    }
  };
}

// src/core/formats/review-request.ts
var REQUEST_SUBJECT_PREFIX = "AI review request: ";
var REQUESTED_OF = "Requested-of";
var REQUESTED_BY = "Requested-by";
var REVIEW_BRANCH = "AI-Review-Branch";
var REVIEW_BASE = "AI-Review-Base";
var REVIEW_COMMIT = "AI-Review-Commit";
var EMAIL2 = /^[^<>\s@]+@[^<>\s@]+$/;
function parseRequestMessage(subject, trailers) {
  if (!subject.startsWith(REQUEST_SUBJECT_PREFIX)) return void 0;
  const to = trailerValues(trailers, REQUESTED_OF).map((v) => v.trim()).filter((v) => EMAIL2.test(v));
  const byValues = trailerValues(trailers, REQUESTED_BY);
  if (to.length === 0 || byValues.length !== 1) return void 0;
  let by;
  try {
    by = parsePerson(byValues[0]);
  } catch {
    return void 0;
  }
  const commits = [];
  for (const value of trailerValues(trailers, REVIEW_COMMIT)) {
    const [patchId, id, ...rest] = value.trim().split(/ +/);
    if (rest.length === 0 && patchId && id && isObjectId(patchId) && isObjectId(id)) commits.push({ id, patchId });
  }
  if (commits.length === 0) return void 0;
  const branch = trailerValues(trailers, REVIEW_BRANCH)[0]?.trim();
  const base = trailerValues(trailers, REVIEW_BASE)[0]?.trim();
  return { to, by, commits, ...branch ? { branch } : {}, ...base ? { base } : {} };
}

// src/io/store/atomic-file.ts
var fs5 = require("node:fs");
var fsp4 = __lazyRequire("node:fs/promises");
var path8 = require("node:path");
var DIR_MODE = 448;
var FILE_MODE = 384;
var StateStoreError = class extends Error {
  constructor(operation, file, cause) {
    super(`could not ${operation} ${file}: ${describeError(cause)}`, { cause });
    this.operation = operation;
    this.file = file;
  }
  operation;
  file;
  name = "StateStoreError";
  cliExitCode = ENVIRONMENT_EXIT;
  hint = "check the file's and its folder's permissions and the disk's free space; do not delete AI Provenance's local state to get past this: it holds attribution";
  /** The errno code (`EACCES`, `ENOSPC`, …) when the cause was a system error. */
  get code() {
    return errorCode(this.cause);
  }
};
function tempName(base) {
  return `.${base}.${process.pid}-${randomHex(6)}.tmp`;
}
function isTempName(name) {
  return name.startsWith(".") && name.endsWith(".tmp");
}
function randomHex(bytes) {
  let out = "";
  for (let i = 0; i < bytes; i++)
    out += Math.floor(Math.random() * 256).toString(16).padStart(2, "0");
  return out;
}
async function ensureDir(dir) {
  try {
    await fsp4.mkdir(dir, { recursive: true, mode: DIR_MODE });
  } catch (error2) {
    throw new StateStoreError("create folder", dir, error2);
  }
}
function modeFor(target, options) {
  if (options.keepMode) {
    try {
      return fs5.statSync(target).mode & 4095;
    } catch {
    }
  }
  return options.mode ?? FILE_MODE;
}
async function writeFileAtomic(target, data, options = {}) {
  const dir = path8.dirname(target);
  const temp = path8.join(dir, tempName(path8.basename(target)));
  const mode = modeFor(target, options);
  try {
    const handle = await fsp4.open(temp, "wx", mode);
    try {
      await handle.writeFile(data);
      await handle.chmod(mode);
      if (options.durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await renameReplacing(temp, target);
  } catch (error2) {
    await fsp4.rm(temp, { force: true }).catch(() => void 0);
    throw new StateStoreError("write", target, error2);
  }
  if (options.durable) await fsyncDirectory(dir);
}
function writeFileAtomicSync(target, data, options = {}) {
  const dir = path8.dirname(target);
  const temp = path8.join(dir, tempName(path8.basename(target)));
  const mode = modeFor(target, options);
  try {
    const fd = fs5.openSync(temp, "wx", mode);
    try {
      fs5.writeFileSync(fd, data);
      fs5.fchmodSync(fd, mode);
      if (options.durable) fs5.fsyncSync(fd);
    } finally {
      fs5.closeSync(fd);
    }
    fs5.renameSync(temp, target);
  } catch (error2) {
    try {
      fs5.rmSync(temp, { force: true });
    } catch {
    }
    throw new StateStoreError("write", target, error2);
  }
  if (options.durable) fsyncDirectorySync(dir);
}
async function renameReplacing(from, to) {
  for (let attempt = 0; ; attempt++) {
    try {
      await fsp4.rename(from, to);
      return;
    } catch (error2) {
      const transient = process.platform === "win32" && ["EPERM", "EACCES", "EBUSY"].includes(errorCode(error2) ?? "");
      if (!transient || attempt >= 10) throw error2;
      await delay(5 * (attempt + 1));
    }
  }
}
async function fsyncDirectory(dir) {
  let handle;
  try {
    handle = await fsp4.open(dir, "r");
    await handle.sync();
  } catch (error2) {
    if (!isUnsupportedDirSync(error2)) throw new StateStoreError("flush folder", dir, error2);
  } finally {
    await handle?.close();
  }
}
function fsyncDirectorySync(dir) {
  let fd;
  try {
    fd = fs5.openSync(dir, "r");
    fs5.fsyncSync(fd);
  } catch (error2) {
    if (!isUnsupportedDirSync(error2)) throw new StateStoreError("flush folder", dir, error2);
  } finally {
    if (fd !== void 0) fs5.closeSync(fd);
  }
}
function isUnsupportedDirSync(error2) {
  return ["EISDIR", "EPERM", "EINVAL", "EBADF", "EACCES", "ENOTSUP"].includes(errorCode(error2) ?? "");
}
async function removeStaleTemps(dir, olderThanMs) {
  let names;
  try {
    names = await fsp4.readdir(dir);
  } catch (error2) {
    if (isMissing(error2)) return 0;
    throw new StateStoreError("list", dir, error2);
  }
  let removed = 0;
  const now = Date.now();
  for (const name of names.filter(isTempName)) {
    const file = path8.join(dir, name);
    try {
      const stat5 = await fsp4.lstat(file);
      if (now - stat5.mtimeMs < olderThanMs) continue;
      await fsp4.rm(file, { force: true });
      removed++;
    } catch (error2) {
      if (!isMissing(error2)) throw new StateStoreError("remove", file, error2);
    }
  }
  return removed;
}
function errorCode(error2) {
  const code = error2?.code;
  return typeof code === "string" ? code : void 0;
}
function isMissing(error2) {
  const code = errorCode(error2);
  return code === "ENOENT" || code === "ENOTDIR";
}
function describeError(error2) {
  return error2 instanceof Error ? error2.message : String(error2);
}
function delay(ms) {
  return new Promise((resolve6) => setTimeout(resolve6, ms));
}

// src/io/store/lock.ts
var fs6 = require("node:fs");
var fsp5 = __lazyRequire("node:fs/promises");
var os6 = __lazyRequire("node:os");
var path9 = require("node:path");

// src/core/formats/state-files.ts
var STATE_FORMAT_VERSION = 1;
var StateFormatError = class extends Error {
  constructor(problem, message) {
    super(message);
    this.problem = problem;
  }
  problem;
  name = "StateFormatError";
};
var anyPayload = (value) => value;
var BLOB_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
function isBlobId(value) {
  return typeof value === "string" && BLOB_ID.test(value);
}
function isRepoPath(value) {
  if (typeof value !== "string" || value.length === 0 || value.includes("\0") || value.includes("\\")) return false;
  if (value.startsWith("/") || /^[A-Za-z]:/.test(value)) return false;
  return value.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}
function parseVersioned(text, expected = STATE_FORMAT_VERSION) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error2) {
    const detail = error2 instanceof Error ? error2.message : String(error2);
    throw new StateFormatError("syntax", text.length === 0 ? "the file is empty" : `not valid JSON (${detail})`);
  }
  if (!isObject2(value)) throw new StateFormatError("syntax", "not a JSON object");
  if (!("version" in value)) throw new StateFormatError("version", 'it has no "version" field');
  if (value.version !== expected) {
    throw new StateFormatError(
      "version",
      `unknown version ${JSON.stringify(value.version)} (this build reads version ${expected})`
    );
  }
  return value;
}
function parseRunsRecord(value, parseRuns) {
  const path14 = field(value, "path", isRepoPath, "a repository path");
  const blob = field(value, "blob", isBlobId, "a blob id");
  const savedAt = field(value, "savedAt", isTimestamp, "an ISO timestamp");
  if (!("runs" in value)) throw new StateFormatError("shape", 'field "runs" is missing');
  return { version: STATE_FORMAT_VERSION, path: path14, blob, savedAt, runs: parsePayload(value.runs, "runs", parseRuns) };
}
function parseLatestPointer(value) {
  return {
    version: STATE_FORMAT_VERSION,
    path: field(value, "path", isRepoPath, "a repository path"),
    blob: field(value, "blob", isBlobId, "a blob id"),
    savedAt: field(value, "savedAt", isTimestamp, "an ISO timestamp")
  };
}
function parseListDocument(value, parseItem) {
  const items = field(value, "items", (v) => Array.isArray(v), "an array");
  return { version: STATE_FORMAT_VERSION, items: items.map((item, i) => parsePayload(item, `items[${i}]`, parseItem)) };
}
function parseLockInfo(value) {
  return {
    version: STATE_FORMAT_VERSION,
    pid: field(value, "pid", (v) => Number.isSafeInteger(v) && v > 0, "a process id"),
    host: field(value, "host", (v) => typeof v === "string", "a host name"),
    at: field(value, "at", isTimestamp, "an ISO timestamp"),
    token: field(value, "token", (v) => typeof v === "string" && v.length > 0, "a token")
  };
}
function isObject2(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function isTimestamp(value) {
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}
function field(value, name, ok, what) {
  const v = value[name];
  if (!ok(v)) throw new StateFormatError("shape", `field "${name}" is ${v === void 0 ? "missing" : "not " + what}`);
  return v;
}
function parsePayload(value, name, parse) {
  try {
    return parse(value);
  } catch (error2) {
    const detail = error2 instanceof Error ? error2.message : String(error2);
    throw new StateFormatError("shape", `field "${name}" is invalid (${detail})`);
  }
}

// src/io/store/lock.ts
var LockTimeoutError = class extends Error {
  constructor(lockFile, waitedMs, holder) {
    super(
      `timed out after ${waitedMs} ms waiting for ${lockFile}` + (holder ? `, held by process ${holder.pid} on ${holder.host} since ${holder.at}` : "")
    );
    this.lockFile = lockFile;
    this.waitedMs = waitedMs;
    this.holder = holder;
  }
  lockFile;
  waitedMs;
  holder;
  name = "LockTimeoutError";
  cliExitCode = ENVIRONMENT_EXIT;
  hint = "another AI Provenance process is updating the same file: try again in a moment";
};
function isProcessAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error2) {
    return errorCode(error2) === "EPERM";
  }
}
async function withLockFile(lockFile, options, logger, body) {
  const token = randomHex(8);
  await acquireLock(lockFile, token, options, logger);
  try {
    return await body();
  } finally {
    await releaseLock(lockFile, token, logger);
  }
}
async function acquireLock(lockFile, token, options, logger) {
  const dir = path9.dirname(lockFile);
  await ensureDir(dir);
  const info = {
    version: STATE_FORMAT_VERSION,
    pid: process.pid,
    host: os6.hostname(),
    at: (/* @__PURE__ */ new Date()).toISOString(),
    token
  };
  const temp = path9.join(dir, tempName(path9.basename(lockFile)));
  try {
    await fsp5.writeFile(temp, JSON.stringify(info), { mode: FILE_MODE, flag: "wx" });
  } catch (error2) {
    throw new StateStoreError("create lock", temp, error2);
  }
  try {
    const started = Date.now();
    let pause = 2;
    for (; ; ) {
      if (await placeLock(temp, lockFile)) return;
      const seen = await inspectLock(lockFile);
      if (seen === void 0) continue;
      const staleBecause = lockIsStale(seen, options.staleMs);
      if (staleBecause) {
        await breakLock(lockFile, seen, staleBecause, logger);
        continue;
      }
      if (Date.now() - started >= options.timeoutMs)
        throw new LockTimeoutError(lockFile, Date.now() - started, seen.holder);
      await delay(pause + Math.random() * pause);
      pause = Math.min(pause * 2, 50);
    }
  } finally {
    await fsp5.rm(temp, { force: true }).catch(() => void 0);
  }
}
async function placeLock(temp, lockFile) {
  try {
    await fsp5.link(temp, lockFile);
    return true;
  } catch (error2) {
    const code = errorCode(error2);
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS")
      throw new StateStoreError("create lock", lockFile, error2);
  }
  try {
    await fsp5.copyFile(temp, lockFile, fs6.constants.COPYFILE_EXCL);
    return true;
  } catch (error2) {
    if (errorCode(error2) === "EEXIST") return false;
    throw new StateStoreError("create lock", lockFile, error2);
  }
}
async function inspectLock(lockFile) {
  try {
    const stat5 = await fsp5.stat(lockFile, { bigint: true });
    const text = await fsp5.readFile(lockFile, "utf8");
    let holder;
    try {
      holder = parseLockInfo(parseVersioned(text));
    } catch {
      holder = void 0;
    }
    return { identity: { dev: stat5.dev, ino: stat5.ino }, ageMs: Date.now() - Number(stat5.mtimeMs), holder };
  } catch (error2) {
    if (isMissing(error2)) return void 0;
    throw new StateStoreError("read lock", lockFile, error2);
  }
}
function lockIsStale(seen, staleMs) {
  if (seen.holder && seen.holder.host === os6.hostname() && !isProcessAlive(seen.holder.pid)) {
    return `its holder, process ${seen.holder.pid}, is gone`;
  }
  if (seen.ageMs > staleMs) return `it is ${Math.round(seen.ageMs / 1e3)} s old`;
  return void 0;
}
async function breakLock(lockFile, seen, why, logger) {
  const grave = path9.join(path9.dirname(lockFile), tempName(path9.basename(lockFile)));
  try {
    await fsp5.rename(lockFile, grave);
  } catch (error2) {
    if (isMissing(error2)) return;
    throw new StateStoreError("break lock", lockFile, error2);
  }
  const moved = await fsp5.stat(grave, { bigint: true });
  if (moved.ino === seen.identity.ino && moved.dev === seen.identity.dev) {
    logger.warn(`removed the stale lock ${lockFile} because ${why}.`);
  } else {
    await fsp5.link(grave, lockFile).catch(() => void 0);
  }
  await fsp5.rm(grave, { force: true });
}
async function releaseLock(lockFile, token, logger) {
  const seen = await inspectLock(lockFile).catch(() => void 0);
  if (seen?.holder?.token !== token) {
    logger.warn(`the lock ${lockFile} was taken over while held (held longer than its stale limit?).`);
    return;
  }
  await fsp5.rm(lockFile, { force: true });
}

// src/io/store/state-file.ts
var fs7 = require("node:fs");
var fsp6 = __lazyRequire("node:fs/promises");
var path10 = require("node:path");
var STATE_LAYOUT = {
  runs: "runs",
  latest: "latest.json",
  blobs: "blobs",
  blobsIndexed: ".indexed",
  spool: "spool",
  claimed: ".claimed",
  locks: "locks",
  corrupt: "corrupt",
  reviewRequests: "review-requests.json",
  aiDeletions: "ai-deletions.json"
};
async function readStateFile(context, file, parse, label) {
  let fd;
  try {
    fd = fs7.openSync(file, "r");
  } catch (error2) {
    if (isMissing(error2)) return void 0;
    throw new StateStoreError("read", file, error2);
  }
  let text;
  let identity;
  try {
    const stat5 = fs7.fstatSync(fd, { bigint: true });
    identity = { dev: stat5.dev, ino: stat5.ino };
    text = fs7.readFileSync(fd, "utf8");
  } catch (error2) {
    throw new StateStoreError("read", file, error2);
  } finally {
    fs7.closeSync(fd);
  }
  try {
    return parse(text);
  } catch (error2) {
    if (!(error2 instanceof StateFormatError)) throw error2;
    await moveAside(context, file, error2.message, { identity, label });
    return void 0;
  }
}
async function moveAside(context, file, reason, options = {}) {
  const corruptDir = path10.join(context.stateDir, STATE_LAYOUT.corrupt);
  await ensureDir(corruptDir);
  const label = (options.label ?? path10.relative(context.stateDir, file)).split(/[\\/]/).join("~");
  const stamp = (/* @__PURE__ */ new Date()).toISOString().replace(/[:.]/g, "-");
  let destination = path10.join(corruptDir, `${label}.${stamp}`);
  for (let n = 1; await exists2(destination); n++) destination = path10.join(corruptDir, `${label}.${stamp}-${n}`);
  try {
    await fsp6.rename(file, destination);
  } catch (error2) {
    if (isMissing(error2)) return void 0;
    throw new StateStoreError("move aside", file, error2);
  }
  if (options.identity) {
    const moved = await fsp6.stat(destination, { bigint: true });
    if (moved.ino !== options.identity.ino || moved.dev !== options.identity.dev) {
      await fsp6.link(destination, file).catch(() => void 0);
      await fsp6.rm(destination, { force: true });
      return void 0;
    }
  }
  context.logger.warn(
    `local state file ${file} is unusable (${reason}); moved it to ${destination} and carried on without it.`
  );
  return destination;
}
async function exists2(file) {
  try {
    await fsp6.lstat(file);
    return true;
  } catch {
    return false;
  }
}

// src/io/store/blob-id.ts
var crypto2;
function loadCrypto() {
  return crypto2 ??= require("node:crypto");
}
function computeBlobId(content, format2 = "sha1") {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  const hash = loadCrypto().createHash(format2);
  hash.update(`blob ${bytes.byteLength}\0`);
  hash.update(bytes);
  return hash.digest("hex");
}
var knownFormats = /* @__PURE__ */ new Map();
async function detectObjectFormat(cwd, logger) {
  const known = knownFormats.get(cwd);
  if (known) return known;
  const out = (await git(["rev-parse", "--show-object-format"], { cwd, logger })).trim();
  if (out === "sha1" || out === "sha256") return out;
  logger?.debug(`git rev-parse --show-object-format answered ${JSON.stringify(out)}; assuming sha1`);
  return "sha1";
}

// src/io/store/state-store.ts
var import_node_crypto3 = require("node:crypto");
var fs8 = require("node:fs");
var fsp7 = __lazyRequire("node:fs/promises");
var path11 = require("node:path");
var StateStore = class {
  constructor(location, logger, options = {}) {
    this.logger = logger;
    this.stateDir = location.stateDir;
    this.root = location.root;
    this.context = { stateDir: this.stateDir, logger };
    this.parseRuns = options.parseRuns ?? anyPayload;
    this.keepPerPath = Math.max(1, Math.floor(options.keepPerPath ?? 8));
    this.pruneGraceMs = options.pruneGraceMs ?? 1e4;
    this.staleTempMs = options.staleTempMs ?? 5 * 6e4;
    this.durable = options.durable ?? true;
    this.lockOptions = { timeoutMs: options.lockTimeoutMs ?? 1e4, staleMs: options.lockStaleMs ?? 3e4 };
    if (options.objectFormat) this.format = Promise.resolve(options.objectFormat);
  }
  logger;
  stateDir;
  root;
  context;
  parseRuns;
  keepPerPath;
  pruneGraceMs;
  staleTempMs;
  durable;
  lockOptions;
  format;
  /** The sweep of ensureBlobIndex, shared by every caller of this store (undefined again after a failure). */
  blobIndexSweep;
  /** The repository's object format, asked of git once per store. */
  objectFormat() {
    this.format ??= detectObjectFormat(this.root, this.logger).catch((error2) => {
      this.format = void 0;
      throw error2;
    });
    return this.format;
  }
  /** The blob id git would give `content` (see computeBlobId), in this repository's object format. */
  async blobId(content) {
    return computeBlobId(content, await this.objectFormat());
  }
  // --- runs records -------------------------------------------------------------------------------------------
  /**
   * Saves `runs` as describing `content` of `path`, and makes it the path's latest record. Returns the record
   * (with the blob id it is stored under). Then prunes the path's old records, best effort.
   */
  async writeRuns(repoPath, content, runs) {
    return this.writeRunsForBlob(repoPath, await this.blobId(content), runs);
  }
  /** As writeRuns, for a caller that already has the blob id. */
  async writeRunsForBlob(repoPath, blob, runs) {
    checkRepoPath(repoPath);
    checkBlobId(blob);
    const dir = this.pathDir(repoPath);
    await ensureDir(dir);
    const record = {
      version: STATE_FORMAT_VERSION,
      path: repoPath,
      blob,
      savedAt: (/* @__PURE__ */ new Date()).toISOString(),
      runs
    };
    const text = JSON.stringify(record) + "\n";
    const file = path11.join(dir, `${blob}.json`);
    await this.indexBlob(blob, pathKey(repoPath));
    await writeFileAtomic(file, text, { durable: this.durable });
    const pointer = { version: STATE_FORMAT_VERSION, path: repoPath, blob, savedAt: record.savedAt };
    await writeFileAtomic(path11.join(dir, STATE_LAYOUT.latest), JSON.stringify(pointer) + "\n", {
      durable: this.durable
    });
    if (!await exists2(file)) await writeFileAtomic(file, text, { durable: this.durable });
    try {
      await this.prune(repoPath, { onlyAbove: 2 * this.keepPerPath });
    } catch (error2) {
      this.logger.warn(`could not prune old records of ${repoPath}: ${describeError(error2)}`);
    }
    return record;
  }
  /** The record of `path` for exactly the text with blob id `blob`, or `undefined` (absent, corrupt, other path). */
  async readRuns(repoPath, blob) {
    checkRepoPath(repoPath);
    checkBlobId(blob);
    const file = path11.join(this.pathDir(repoPath), `${blob}.json`);
    return readStateFile(this.context, file, (text) => this.parseRecord(text, repoPath, blob));
  }
  /** The record of `path` for exactly `content`, or `undefined`. */
  async readRunsForText(repoPath, content) {
    return this.readRuns(repoPath, await this.blobId(content));
  }
  /** Which blob the latest record of `path` describes, or `undefined`. */
  async latest(repoPath) {
    checkRepoPath(repoPath);
    const file = path11.join(this.pathDir(repoPath), STATE_LAYOUT.latest);
    const pointer = await readStateFile(this.context, file, (text) => {
      const value = parseLatestPointer(parseVersioned(text));
      if (value.path !== repoPath) throw new StateFormatError("shape", `it names ${value.path}, not ${repoPath}`);
      return value;
    });
    return pointer && { path: pointer.path, blob: pointer.blob, savedAt: pointer.savedAt };
  }
  /** The latest record of `path` (whatever text it describes), or `undefined`. */
  async readLatest(repoPath) {
    const pointer = await this.latest(repoPath);
    if (!pointer) return void 0;
    const record = await this.readRuns(repoPath, pointer.blob);
    if (!record) this.logger.debug(`latest.json of ${repoPath} names ${pointer.blob}, which has no record`);
    return record;
  }
  /** Every path with a latest record, sorted by path. */
  async listTracked() {
    const runsDir = path11.join(this.stateDir, STATE_LAYOUT.runs);
    const tracked = [];
    for (const key of await listDir(runsDir)) {
      if (!/^[0-9a-f]{40}$/.test(key)) continue;
      const file = path11.join(runsDir, key, STATE_LAYOUT.latest);
      const pointer = await readStateFile(this.context, file, (text) => {
        const value = parseLatestPointer(parseVersioned(text));
        if (pathKey(value.path) !== key)
          throw new StateFormatError("shape", `it names ${value.path}, which belongs elsewhere`);
        return value;
      });
      if (pointer) tracked.push({ path: pointer.path, blob: pointer.blob, savedAt: pointer.savedAt });
    }
    return tracked.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  }
  /** Records of any path for the text with blob id `blob` (e.g. to follow a rename), newest first. */
  async findByBlob(blob) {
    checkBlobId(blob);
    await this.ensureBlobIndex();
    const runsDir = path11.join(this.stateDir, STATE_LAYOUT.runs);
    const found = [];
    for (const key of await listDir(path11.join(this.stateDir, STATE_LAYOUT.blobs, blob))) {
      if (!/^[0-9a-f]{40}$/.test(key)) continue;
      const file = path11.join(runsDir, key, `${blob}.json`);
      const record = await readStateFile(this.context, file, (text) => {
        const value = parseRunsRecord(parseVersioned(text), this.parseRuns);
        if (value.blob !== blob || pathKey(value.path) !== key)
          throw new StateFormatError("shape", "it is filed under the wrong path or blob");
        return value;
      });
      if (record) found.push(record);
    }
    return found.sort((a, b) => Date.parse(b.savedAt) - Date.parse(a.savedAt));
  }
  /**
   * Notes that the path with key `key` has a record of `blob` (findByBlob reads the paths listed for a blob). An
   * empty file, created in place (its creation is atomic) and not flushed: an entry a crash loses only hides the
   * record from the search across paths (a file renamed outside git's view), never from its own path.
   */
  async indexBlob(blob, key) {
    const dir = path11.join(this.stateDir, STATE_LAYOUT.blobs, blob);
    try {
      await ensureDir(dir);
      await fsp7.writeFile(path11.join(dir, key), "", { flag: "a" });
    } catch (error2) {
      throw new StateStoreError("write", dir, error2);
    }
  }
  /**
   * Once per process: gives every record that has no index entry its entry. A record is written by this version
   * with its entry; one written by another (an older extension still running in a window, an older CLI) has none.
   * `blobs/.indexed` holds when the last sweep began: only the paths whose folder changed since then are read again
   * (a new record changes its folder's modification time), so the sweep is one stat per tracked path.
   */
  ensureBlobIndex() {
    this.blobIndexSweep ??= this.sweepBlobIndex().catch((error2) => {
      this.blobIndexSweep = void 0;
      throw error2;
    });
    return this.blobIndexSweep;
  }
  async sweepBlobIndex() {
    const marker = path11.join(this.stateDir, STATE_LAYOUT.blobs, STATE_LAYOUT.blobsIndexed);
    let since = -Infinity;
    try {
      since = Date.parse((await fsp7.readFile(marker, "utf8")).trim());
      if (Number.isNaN(since)) since = -Infinity;
    } catch (error2) {
      if (!isMissing(error2)) throw new StateStoreError("read", marker, error2);
    }
    const sweep = /* @__PURE__ */ new Date();
    const runsDir = path11.join(this.stateDir, STATE_LAYOUT.runs);
    for (const key of await listDir(runsDir)) {
      if (!/^[0-9a-f]{40}$/.test(key)) continue;
      const dir = path11.join(runsDir, key);
      try {
        if (fs8.statSync(dir).mtimeMs < since - 2e3) continue;
      } catch (error2) {
        if (isMissing(error2)) continue;
        throw new StateStoreError("inspect", dir, error2);
      }
      for (const name of await listDir(dir))
        if (name.endsWith(".json") && isBlobId(name.slice(0, -5))) await this.indexBlob(name.slice(0, -5), key);
    }
    await ensureDir(path11.dirname(marker));
    await writeFileAtomic(marker, `${sweep.toISOString()}
`, { durable: this.durable });
  }
  /**
   * Removes old records of `path`: keeps the `keep` newest (by write time), the one `latest.json` names, and any
   * written less than `graceMs` ago. Returns how many were removed. With `onlyAbove`, does nothing until the path
   * has more than that many records. Writes call it with twice `keepPerPath`, so a path holds at most
   * `2 × keepPerPath` records (plus the latest, plus any younger than the grace period).
   */
  async prune(repoPath, options = {}) {
    checkRepoPath(repoPath);
    const keep = Math.max(1, Math.floor(options.keep ?? this.keepPerPath));
    const graceMs = options.graceMs ?? this.pruneGraceMs;
    const dir = this.pathDir(repoPath);
    const names = (await listDir(dir)).filter((name) => name.endsWith(".json") && isBlobId(name.slice(0, -5)));
    if (names.length <= Math.max(keep, options.onlyAbove ?? 0)) return 0;
    const pointer = await this.latest(repoPath);
    const dated = [];
    for (const name of names) {
      try {
        dated.push({ name, mtimeMs: (await fsp7.stat(path11.join(dir, name))).mtimeMs });
      } catch (error2) {
        if (!isMissing(error2)) throw new StateStoreError("inspect", path11.join(dir, name), error2);
      }
    }
    dated.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.name < b.name ? 1 : -1));
    const now = Date.now();
    let removed = 0;
    for (const { name, mtimeMs } of dated.slice(keep)) {
      if (pointer && name === `${pointer.blob}.json`) continue;
      if (now - mtimeMs < graceMs) continue;
      await fsp7.rm(path11.join(dir, name), { force: true });
      removed++;
    }
    if (removed > 0) this.logger.debug(`pruned ${removed} old record(s) of ${repoPath}`);
    return removed;
  }
  /** Forgets everything recorded for `path` (the file was deleted for good). */
  async forget(repoPath) {
    checkRepoPath(repoPath);
    const dir = this.pathDir(repoPath);
    try {
      await fsp7.rm(dir, { recursive: true, force: true });
    } catch (error2) {
      throw new StateStoreError("remove", dir, error2);
    }
  }
  // --- generic documents (review requests and the like) ---------------------------------------------------------
  /**
   * Reads `<stateDir>/<name>` (a plain `*.json` file name), which must carry `"version": version`; `parse` gets
   * the object and throws when its shape is wrong. Absent or unusable (moved aside): `undefined`.
   */
  async readJson(name, version, parse) {
    const file = this.documentFile(name);
    return readStateFile(this.context, file, (text) => {
      const value = parseVersioned(text, version);
      try {
        return parse(value);
      } catch (error2) {
        if (error2 instanceof StateFormatError) throw error2;
        throw new StateFormatError("shape", describeError(error2));
      }
    });
  }
  /** Atomically replaces `<stateDir>/<name>` with `value` (last writer wins; see updateJson for read-modify-write). */
  async writeJson(name, value) {
    const file = this.documentFile(name);
    await ensureDir(this.stateDir);
    await writeFileAtomic(file, JSON.stringify(value, null, 2) + "\n", { durable: this.durable });
  }
  /**
   * Read-modify-write of `<stateDir>/<name>` under a lock, so concurrent updaters (two windows, the CLI) never
   * lose each other's changes. `update` gets the current value (`undefined` when absent or unusable) and returns
   * the new one, which is written atomically and returned. Keep `update` short: the lock is broken after
   * `lockStaleMs`.
   */
  async updateJson(name, version, parse, update) {
    const lockFile = path11.join(this.stateDir, STATE_LAYOUT.locks, `${name}.lock`);
    return withLockFile(lockFile, this.lockOptions, this.logger, async () => {
      const next = await update(await this.readJson(name, version, parse));
      await this.writeJson(name, next);
      return next;
    });
  }
  /** The items of the versioned list `<stateDir>/<name>` (`{"version":1,"items":[…]}`); empty when absent or unusable. */
  async readList(name, parseItem) {
    const doc = await this.readJson(name, STATE_FORMAT_VERSION, (value) => parseListDocument(value, parseItem));
    return doc?.items ?? [];
  }
  /** Locked read-modify-write of a versioned list; returns the items written. */
  async updateList(name, parseItem, update) {
    const doc = await this.updateJson(
      name,
      STATE_FORMAT_VERSION,
      (value) => parseListDocument(value, parseItem),
      async (current) => ({ version: STATE_FORMAT_VERSION, items: await update(current?.items ?? []) })
    );
    return doc.items;
  }
  /** Runs `body` holding the named lock (`<stateDir>/locks/<name>.lock`); for callers with their own multi-file updates. */
  async withLock(name, body) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new TypeError(`not a lock name: ${JSON.stringify(name)}`);
    return withLockFile(
      path11.join(this.stateDir, STATE_LAYOUT.locks, `${name}.lock`),
      this.lockOptions,
      this.logger,
      body
    );
  }
  /**
   * Removes temporary files that writers killed mid-write left behind (older than `olderThanMs`, default
   * `staleTempMs`, so a live writer's file is not pulled from under it). The spool cleans its own folder.
   */
  async cleanup(olderThanMs = this.staleTempMs) {
    let removed = await removeStaleTemps(this.stateDir, olderThanMs);
    removed += await removeStaleTemps(path11.join(this.stateDir, STATE_LAYOUT.locks), olderThanMs);
    const runsDir = path11.join(this.stateDir, STATE_LAYOUT.runs);
    for (const key of await listDir(runsDir)) removed += await removeStaleTemps(path11.join(runsDir, key), olderThanMs);
    return removed;
  }
  pathDir(repoPath) {
    return path11.join(this.stateDir, STATE_LAYOUT.runs, pathKey(repoPath));
  }
  documentFile(name) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.json$/.test(name))
      throw new TypeError(`not a state document name: ${JSON.stringify(name)}`);
    return path11.join(this.stateDir, name);
  }
  parseRecord(text, repoPath, blob) {
    const record = parseRunsRecord(parseVersioned(text), this.parseRuns);
    if (record.path !== repoPath) throw new StateFormatError("shape", `it describes ${record.path}, not ${repoPath}`);
    if (record.blob !== blob) throw new StateFormatError("shape", `it describes blob ${record.blob}, not ${blob}`);
    return record;
  }
};
function pathKey(repoPath) {
  return (0, import_node_crypto3.createHash)("sha1").update(repoPath, "utf8").digest("hex");
}
async function listDir(dir) {
  try {
    return fs8.readdirSync(dir);
  } catch (error2) {
    if (isMissing(error2)) return [];
    throw new StateStoreError("list", dir, error2);
  }
}
function checkRepoPath(value) {
  if (!isRepoPath(value)) throw new TypeError(`not a repository-relative path: ${JSON.stringify(value)}`);
}
function checkBlobId(value) {
  if (!isBlobId(value)) throw new TypeError(`not a blob id: ${JSON.stringify(value)}`);
}

// src/io/review/evidence.ts
var EVIDENCE_REF_PREFIX = "refs/ai-provenance/";

// src/io/review/requests.ts
var REVIEW_REQUESTS_DOCUMENT = STATE_LAYOUT.reviewRequests;
var REQUEST_REF_PREFIX = `${EVIDENCE_REF_PREFIX}requests/`;
var READ_IN_GIT = 1e3;
async function readLocalRequests(location, logger) {
  return new StateStore(location, logger).readList(REVIEW_REQUESTS_DOCUMENT, parseReviewRequest);
}
async function readReviewRequests(location, logger) {
  const [local, inGit] = await Promise.all([
    readLocalRequests(location, logger),
    readGitRequests(location.root, logger).catch((error2) => {
      logger.warn(`could not read the review requests in git: ${error2.message}`);
      return [];
    })
  ]);
  const refs = new Set(local.map((r) => r.ref).filter(Boolean));
  return [...local, ...inGit.filter((r) => !refs.has(r.ref))];
}
async function readGitRequests(root, logger) {
  const out = await git(
    [
      "for-each-ref",
      "--sort=-committerdate",
      `--count=${READ_IN_GIT}`,
      "--format=%(objecttype)%00%(refname)%00%(parent)%00%(committerdate:iso-strict)%00%(contents:subject)%00%(trailers:unfold,only)%00%00",
      REQUEST_REF_PREFIX
    ],
    { cwd: root, logger }
  );
  const requests = [];
  for (const record of out.split("\0\0\n")) {
    const [type, ref, parents, at, subject, trailerText] = record.replace(/^\n/, "").split("\0");
    if (type !== "commit" || !ref || !parents || !at || subject === void 0) continue;
    const parentList = parents.split(" ");
    if (parentList.length !== 1 || !isObjectId(parentList[0])) continue;
    const trailers = (trailerText ?? "").split("\n").map(parseTrailer).filter((t) => t !== void 0);
    const parsed = parseRequestMessage(subject, trailers);
    if (!parsed || Number.isNaN(Date.parse(at))) continue;
    requests.push({
      at: new Date(Date.parse(at)).toISOString(),
      by: parsed.by.email,
      to: parsed.to,
      head: parentList[0],
      commits: parsed.commits,
      ref,
      ...parsed.base ? { base: parsed.base } : {},
      ...parsed.branch ? { branch: parsed.branch } : {}
    });
  }
  return requests;
}

// src/io/review/branch-review.ts
function signatureConcurrency() {
  return Math.max(2, Math.min(16, os7.availableParallelism?.() ?? os7.cpus().length));
}
async function reviewBranch(options) {
  const logger = options.logger ?? nullLogger;
  const location = options.location ?? await locateRepository(options.cwd, { logger });
  const root = location.root;
  const headName = options.head ?? "HEAD";
  const [facts, baseId, headId] = await Promise.all([
    repoFacts(root, logger),
    resolveReviewRevision(root, "base", options.base, logger),
    resolveReviewRevision(root, "head", headName, logger)
  ]);
  if (!baseId) throw unknownRevision("unknown-base", options.base, facts.shallow);
  if (!headId) throw unknownRevision("unknown-head", headName, facts.shallow);
  const base = { rev: options.base, id: baseId };
  const head = { rev: headName, id: headId };
  const touchingPolicyAsked = policyCommits(root, baseId, headId, logger);
  touchingPolicyAsked.catch(() => void 0);
  const [basePolicy, logged] = await Promise.all([
    readBasePolicy(root, baseId, options.base, logger),
    logRange(root, baseId, headId, logger)
  ]);
  if (facts.shallow) {
    const cut = await readShallow(facts.shallowFile);
    const cutInRange = logged.filter((c) => cut.has(c.id));
    if (cutInRange.length > 0) {
      throw new BranchReviewError(
        "shallow",
        `this clone is shallow and its history stops inside ${options.base}..${headName} (at ${cutInRange[0].id.slice(0, 12)}), so the commits to check are not all here: run git fetch --unshallow (or git fetch --deepen=N), or in GitHub Actions use actions/checkout with fetch-depth: 0`
      );
    }
  }
  const graph = new Map(logged.map((c) => [c.id, c.parents]));
  const candidates = logged.filter((c) => isSignoffCandidate(c.subject, c.trailers)).map((c) => ({ c, parsed: interpretSignoff(c.subject, c.trailers) }));
  const candidateIds = new Set(candidates.map((s) => s.c.id));
  const others = logged.filter((c) => !candidateIds.has(c.id));
  const [touchingPolicy, notes] = await Promise.all([
    touchingPolicyAsked,
    notesLineSource(root).lines(others.map((c) => c.id))
  ]);
  const onEveryCommit = basePolicy.policy.trailers.onEveryCommit;
  const evidence = others.map((c) => commitEvidence(c, touchingPolicy, notes)).filter((x) => isReviewed(x, onEveryCommit));
  const ownership = await readBaseOwners(root, baseId, options.base, basePolicy.roster, logger);
  const needPaths = options.withPaths === true || ownership !== void 0 || basePolicy.policy.signoff.ignore.length > 0 || basePolicy.policy.signoff.highRisk.length > 0;
  const inRange = new Set(logged.map((c) => c.id));
  const listedOutside = [
    ...new Set(candidates.flatMap((s) => s.parsed.entries.map((e) => e.commitId)).filter((id) => !inRange.has(id)))
  ];
  const tmp = await scratch();
  try {
    const reviewedIds = evidence.map((x) => x.c.id);
    const roster = basePolicy.roster;
    const selfSignable = basePolicy.policy.signoff.seniorSignedCommits && roster && !roster.isEmpty ? evidence.filter((x) => roster.allows(x.c.author.email)) : [];
    const [patches, paths, former, signatures, authorSignatures] = await Promise.all([
      patchIds(root, [...reviewedIds, ...candidateIds], logger),
      needPaths ? touchedPaths(root, [...reviewedIds, ...candidateIds], logger) : Promise.resolve(void 0),
      formerCommits(root, listedOutside, logger),
      checkSignatures({
        root,
        candidates: candidates.map((s) => ({
          id: s.c.id,
          wellFormed: s.parsed.problems.length === 0,
          ...s.parsed.reviewer ? { reviewerEmail: s.parsed.reviewer.email } : {}
        })),
        basePolicy,
        objectFormat: facts.objectFormat,
        scratchDir: tmp.dir,
        concurrency: options.concurrency ?? signatureConcurrency(),
        logger
      }),
      selfSignable.length === 0 ? Promise.resolve(/* @__PURE__ */ new Map()) : checkSignatures({
        root,
        candidates: selfSignable.map((x) => ({ id: x.c.id, wellFormed: true, reviewerEmail: x.c.author.email })),
        basePolicy,
        objectFormat: facts.objectFormat,
        scratchDir: tmp.dir,
        concurrency: Math.max(1, Math.min(8, os7.availableParallelism?.() ?? os7.cpus().length)),
        logger,
        alwaysVerify: true,
        filePrefix: "author-"
      })
    ]);
    const reviewedSet = new Set(reviewedIds);
    const legacyWanted = [
      ...new Set(
        candidates.flatMap((cand) => cand.parsed.entries).filter((e) => reviewedSet.has(e.commitId) && patches.ids.get(e.commitId) !== e.patchId).map((e) => e.commitId)
      )
    ];
    const legacy = legacyWanted.length > 0 ? await patchIds(root, legacyWanted, logger, "legacy-stable") : void 0;
    const landing = paths ? await whereLinesLanded(root, baseId, headId, evidence, paths, basePolicy.policy, logger, ownership) : /* @__PURE__ */ new Map();
    const loaded = { patches, legacy, paths, landing };
    const disguised = candidates.filter((s) => patches.ids.has(s.c.id)).map((s) => commitFacts(commitEvidence(s.c, touchingPolicy, /* @__PURE__ */ new Map()), loaded, { signoffWithChanges: true }));
    const commits = [
      ...evidence.map((x) => {
        const facts2 = commitFacts(x, loaded);
        const authorSignature = authorSignatures.get(x.c.id);
        return authorSignature ? { ...facts2, authorSignature } : facts2;
      }),
      ...disguised
    ];
    const signoffs = candidates.map(({ c, parsed }) => ({
      id: c.id,
      parents: c.parents,
      subject: c.subject,
      parsed,
      empty: !patches.ids.has(c.id),
      signature: signatures.get(c.id) ?? { status: "not-checked" }
    }));
    const report = computeReview({
      policy: basePolicy.policy,
      roster: basePolicy.roster,
      graph,
      commits,
      signoffs,
      formerCommits: former,
      requests: options.requests ?? [],
      ...ownership ? { ownership } : {}
    });
    return { ...basePolicy, root, base, head, rangeSize: logged.length, report, ownership };
  } finally {
    await tmp.dispose();
  }
}
async function whereLinesLanded(root, baseId, headId, evidence, paths, policy, logger, ownership) {
  const owned = ownership?.source === "reviewers" ? (p) => ownersOf(ownership, p).length > 0 : void 0;
  if (policy.signoff.highRisk.length === 0 && policy.signoff.ignore.length === 0 && !owned) return /* @__PURE__ */ new Map();
  const ai = evidence.filter(hasAiLineEvidence);
  if (ai.length === 0) return /* @__PURE__ */ new Map();
  const matchers = policyMatchers(policy);
  const ignored = (p) => matchers.ignore.matches(p) && !matchers.highRisk.matches(p);
  const someOnlyIgnored = ai.some((x) => {
    const touched = paths.get(x.c.id) ?? [];
    return touched.length > 0 && touched.every(ignored);
  });
  const files = (await changedFilesAtHead(root, baseId, headId, logger)).filter(
    (f) => matchers.highRisk.matches(f) || someOnlyIgnored && !ignored(f) || owned?.(f) === true
  );
  return landingPaths(root, baseId, headId, new Set(ai.map((x) => x.c.id)), files, logger);
}

// src/cli/review-text.ts
function short(id) {
  return id.slice(0, 10);
}
function defectText(defect, signoff, claim, authorEmail) {
  const s = `sign-off ${short(signoff)}`;
  switch (defect) {
    case "unsigned":
      return `${s} is not signed (a sign-off loses its signature when it is rebased or amended: the senior signs off again)`;
    case "not-ssh":
      return `${s} has a GPG or X.509 signature; sign-offs are SSH signatures (gpg.format=ssh)`;
    case "bad-signature":
      return `the signature of ${s} does not match the commit`;
    case "unknown-signer":
      return `${s} is signed by a key that ${ROSTER_PATH} at the base does not list for its Reviewed-by address`;
    case "unreadable":
      return `${s} cannot be read byte for byte (it holds bytes that are not UTF-8), so its signature cannot be checked`;
    case "no-roster":
      return `the base has no ${ROSTER_PATH}, so ${s} cannot count`;
    case "malformed":
      return `${s} is not a well-formed sign-off`;
    case "not-empty":
      return `${s} changes files; a sign-off must be an empty commit`;
    case "merge":
      return `${s} is a merge commit; a sign-off must be a plain empty commit`;
    case "self-signoff":
      return `${s} is by the commit's own author${authorEmail ? ` (${printable(authorEmail)})` : ""}, and the policy does not allow self sign-off`;
    case "not-owner":
      return `${s} is by a senior who owns none of the commit's files in ${REVIEWERS_PATH} at the base; it counts once an owner has signed off`;
  }
  void claim;
}
function messageProblemText(p) {
  switch (p.code) {
    case "subject":
      return `its subject is not "AI sign-off: <n> commits" (got "${printable(p.subject).slice(0, 80)}")`;
    case "count-mismatch":
      return `its subject counts ${p.subjectCount} commits but it has ${p.entries} AI-Signoff trailers`;
    case "no-entries":
      return "it has no AI-Signoff trailer";
    case "entry":
      return `an AI-Signoff trailer is not "<patch-id> <commit-id>" (got "${printable(p.value).slice(0, 100)}")`;
    case "reviewer-missing":
      return "it has no Reviewed-by trailer";
    case "reviewer-many":
      return `it has ${p.count} Reviewed-by trailers (one signer per sign-off)`;
    case "reviewer-malformed":
      return `its Reviewed-by is not "Name <email>" (got "${printable(p.value).slice(0, 100)}")`;
    case "mixed-verdicts":
      return "it has both AI-Signoff and AI-Changes-Requested trailers (a record is one or the other)";
  }
}
function stateReason(c, signoffs) {
  if (!c.needsSignoff || !c.state) return "";
  const who = c.signers.map((s) => printable(s.email)).join(", ");
  if (c.state === "signed-off") return `signed off by ${who}`;
  if (c.state === "self-signed") {
    const others = c.signers.filter((s) => s !== c.selfSigned).map((s) => printable(s.email));
    return `signed by its author, a senior (${printable(c.selfSigned?.email ?? c.commit.author.email)}), whose key is in the roster; the policy allows senior-signed commits${others.length > 0 ? `; also signed off by ${others.join(", ")}` : ""}`;
  }
  const parts = [];
  if (c.state === "changes-requested") {
    for (const claim of c.claims.filter(
      (cl) => cl.verdict === "changes-requested" && cl.match === "patch" && cl.defects.length === 0
    ))
      parts.push(
        `${printable(claim.signer?.email ?? "?")} requested changes in ${short(claim.signoff)} (git show ${short(claim.signoff)} says what to change); a new commit changes the patch and asks for review again`
      );
  }
  if (c.blocker === "no-roster") parts.push(`nobody can sign off: the base has no ${ROSTER_PATH}`);
  if (c.blocker === "patch-has-nul")
    parts.push(
      "its diff holds NUL bytes, which git patch-id does not hash: mark the file binary in .gitattributes or remove the NUL bytes"
    );
  if (c.state === "unverified") {
    for (const claim of c.claims.filter((cl) => cl.defects.length > 0)) {
      const review = signoffs.find((s) => s.facts.id === claim.signoff);
      for (const d of claim.defects) {
        let text = defectText(d, claim.signoff, claim, c.commit.author.email);
        if (d === "malformed" && review) text += `: ${review.facts.parsed.problems.map(messageProblemText).join("; ")}`;
        const sig = review?.facts.signature;
        if ((d === "bad-signature" || d === "unknown-signer") && sig && "detail" in sig && sig.detail)
          text += ` (ssh-keygen: ${printable(sig.detail)})`;
        parts.push(text);
      }
    }
  }
  if (c.state === "stale" || c.state === "unverified") {
    for (const claim of c.claims.filter((cl) => cl.match === "stale" && cl.defects.length === 0)) {
      parts.push(
        `signed off in ${short(claim.signoff)} by ${printable(claim.signer?.email ?? "?")} for patch ${short(claim.listedPatchId ?? "")}, but the patch is now ${short(c.commit.patchId ?? "")}: it changed after the review`
      );
    }
  }
  if (c.signers.length > 0 && c.signers.length < c.requiredSigners) {
    parts.push(`${c.signers.length} of ${c.requiredSigners} seniors signed off (${who})`);
  } else if (c.highRisk && c.state !== "unverified") {
    parts.push(`needs ${c.requiredSigners} distinct seniors`);
  }
  if (c.selfSigned && c.signers.length < c.requiredSigners)
    parts.push(`signed by its author, a senior (${printable(c.selfSigned.email)}), which counts as one of them`);
  if (c.state === "requested" && c.request)
    parts.push(`review requested from ${c.request.to.map(printable).join(", ")} on ${c.request.at.slice(0, 10)}`);
  if (c.state === "pending" && parts.length === 0) parts.push("waits for a senior to sign off");
  const routing = routingText(c);
  if (routing) parts.push(routing);
  return parts.join("; ");
}
function routingText(c) {
  const r = c.routing;
  if (!r || r.seniors.length === 0 || isDone(c.state)) return void 0;
  const files = (paths) => `${paths.slice(0, 3).map(printable).join(", ")}${paths.length > 3 ? ` and ${paths.length - 3} more` : ""}`;
  const seniors = r.seniors.map(printable).join(", ");
  if (!r.enforced) return `owners (${printable(r.file)}, advisory; any senior may sign): ${seniors}`;
  const missing = r.uncovered.length > 0 && r.uncovered.length < r.paths.length ? `; still needs an owner of ${files(r.uncovered)}` : "";
  return `may be signed off by ${seniors} (owners of ${files(r.paths.map((p) => p.path))} in ${printable(r.file)})${missing}`;
}
function aiLinesText(c) {
  const text = linesAndReason(c);
  if (!c.landedIn || c.landedIn.length === 0) return text;
  return `${text}; its lines are now also in ${c.landedIn.map(printable).join(", ")}`;
}
function linesAndReason(c) {
  const a = c.commit.attribution;
  const lines = a.kind === "malformed" ? "AI lines unknown (malformed AI-Attribution)" : a.kind === "valid" ? `ai=${a.attribution.ai} mixed=${a.attribution.mixed}${a.attribution.deleted ? ` deleted=${a.attribution.deleted}` : ""}` : a.kind === "failed" ? "AI-Attribution: hook failed" : "no AI-Attribution";
  const reason = c.needReason;
  if (!reason) return lines;
  if (reason.code === "policy-change") return `${lines}; changes ${PRODUCT.policyDir}/ (the seniors or the policy)`;
  if (reason.code === "branch-threshold")
    return `${lines}; below minAiLines alone, but the branch has ${reason.branchAiLines} AI lines`;
  switch (reason.why) {
    case "credited-agent":
      return `${lines}; unattested: an AI agent is credited (${[...c.commit.assistedBy, ...c.commit.agentCoAuthors ?? []].map(printable).join(", ")}) but AI-Attribution says no AI line`;
    case "note-disagrees":
      return `${lines}; unattested: its line-level note records ${c.commit.noteAiLines ?? 0} AI lines`;
    case "no-trailer":
      return `${lines}; unattested: the policy asks every commit for an AI-Attribution trailer (was it made without the hooks?)`;
    case "signoff-with-changes":
      return `${lines}; unattested: its subject says sign-off but it changes files`;
    case "hook-failed":
      return `${lines}; unattested: the commit hook failed, so its AI lines are not known`;
    case "message-body":
      return `${lines}; unattested: its message names AI lines outside its trailers (a squash merge keeps the branch's trailers in the body)`;
    case "incomplete":
      return `${lines}; unattested: the commit hook could not attribute ${c.commit.attribution.kind === "valid" ? c.commit.attribution.attribution.skipped ?? 0 : 0} of its files`;
  }
}
function noteText(note, base) {
  switch (note.code) {
    case "no-roster":
      return `${base} has no ${ROSTER_PATH}: nothing can be signed off until the seniors' SSH keys are listed there (OpenSSH allowed-signers format: "<email> <key-type> <key>")`;
    case "empty-roster":
      return `${ROSTER_PATH} at ${base} lists nobody: nothing can be signed off`;
    case "signers-exceed-roster":
      return `high-risk commits need ${note.required} distinct seniors but ${ROSTER_PATH} at ${base} has only ${note.available} keys`;
  }
}

// src/cli/check-report.ts
function openStates(review) {
  return review.report.commits.filter((c) => c.needsSignoff && !isDone(c.state));
}
function renderText(review) {
  const { report } = review;
  const out = [];
  const ai = report.commits.length;
  out.push(
    `AI sign-off check of ${printable(review.base.rev)}..${printable(review.head.rev)} (${short(review.base.id)}..${short(review.head.id)}): ${review.rangeSize} ${review.rangeSize === 1 ? "commit" : "commits"}, ${ai} AI-assisted, ${report.needingSignoff} ${report.needingSignoff === 1 ? "needs" : "need"} sign-off`
  );
  out.push(
    `policy: ${review.policySource === "base" ? ".ai-provenance/policy.json at the base" : "defaults (no .ai-provenance/policy.json at the base)"}`
  );
  for (const note of report.notes) out.push(`note: ${noteText(note, printable(review.base.rev))}`);
  const width = Math.max(...report.commits.filter((c) => c.needsSignoff).map((c) => c.state.length), 0);
  for (const c of report.commits) {
    if (!c.needsSignoff) continue;
    out.push(
      `  ${c.state.padEnd(width)}  ${short(c.commit.id)}  ${printable(c.commit.subject).slice(0, 72)}  [${aiLinesText(c)}${c.highRisk ? ", high-risk" : ""}]`
    );
    const reason = stateReason(c, report.signoffs);
    if (reason) out.push(`  ${" ".repeat(width)}  ${reason}`);
  }
  const open3 = openStates(review);
  if (report.ok) {
    out.push(
      report.needingSignoff === 0 ? "OK: no AI change in this range needs sign-off." : `OK: all ${report.needingSignoff} AI-assisted commits that need sign-off are signed off.`
    );
  } else {
    out.push(`FAILED: ${open3.length} of ${report.needingSignoff} AI-assisted commits are not signed off.`);
    out.push(
      report.notes.some((n) => n.code === "no-roster" || n.code === "empty-roster") ? `Add the seniors to ${ROSTER_PATH} on ${printable(review.base.rev)} first.` : `A senior listed in ${ROSTER_PATH} signs off with: ${PRODUCT.cli} sign-off --base ${printable(review.base.rev)}`
    );
  }
  return `${out.join("\n")}
`;
}
function toJson(review) {
  const { report } = review;
  return {
    version: 1,
    ok: report.ok,
    base: { rev: review.base.rev, commit: review.base.id },
    head: { rev: review.head.rev, commit: review.head.id },
    policy: { source: review.policySource, signoff: review.policy.signoff },
    roster: { present: review.roster !== void 0, keys: review.roster?.signerCapacity() ?? 0 },
    // Who owns which paths at the base: .ai-provenance/reviewers (enforced) or CODEOWNERS (advisory); null: neither.
    owners: review.ownership ? {
      source: review.ownership.source,
      file: review.ownership.file,
      enforced: review.ownership.source === "reviewers"
    } : null,
    // Where the review profile reads AI lines from: always the trailers (kept for readers of version 1).
    lineSource: "trailers",
    summary: {
      commits: review.rangeSize,
      aiCommits: report.commits.length,
      needSignoff: report.needingSignoff,
      ...report.counts
    },
    notes: report.notes,
    commits: report.commits.map((c) => ({
      commit: c.commit.id,
      subject: c.commit.subject,
      author: c.commit.author,
      patchId: c.commit.patchId ?? null,
      attribution: c.commit.attribution.kind === "valid" ? c.commit.attribution.attribution : null,
      attributionError: c.commit.attribution.kind === "malformed" ? c.commit.attribution.reason : null,
      assistedBy: c.commit.assistedBy,
      aiLines: c.aiLines ?? null,
      needsSignoff: c.needsSignoff,
      notNeeded: c.notNeeded ?? null,
      state: c.state ?? null,
      reason: c.needsSignoff ? stateReason(c, report.signoffs) : null,
      highRisk: c.highRisk,
      highRiskPaths: c.highRiskPaths,
      landedIn: c.landedIn ?? [],
      requiredSigners: c.requiredSigners,
      signers: c.signers,
      claims: c.claims,
      blocker: c.blocker ?? null,
      paths: c.commit.paths ?? null,
      request: c.request ?? null,
      needReason: c.needReason ?? null,
      noteAiLines: c.commit.noteAiLines ?? null,
      agentCoAuthors: c.commit.agentCoAuthors ?? [],
      touchesPolicy: c.commit.touchesPolicy === true,
      routing: c.routing ?? null,
      selfSigned: c.selfSigned ?? null
    })),
    signoffs: report.signoffs.map((s) => ({
      commit: s.facts.id,
      subject: s.facts.subject,
      reviewer: s.facts.parsed.reviewer ?? null,
      // Since 0.2: "signoff", or "changes-requested" for a request for changes (valid: verified; it never signs off).
      verdict: s.facts.parsed.verdict,
      entries: s.facts.parsed.entries,
      problems: s.facts.parsed.problems.map((p) => ({ ...p, message: messageProblemText(p) })),
      signature: s.facts.signature,
      valid: s.defects.length === 0,
      defects: s.defects,
      signer: s.signer ?? null,
      covers: s.covers
    }))
  };
}
function escapeData2(text) {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty2(text) {
  return escapeData2(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
function renderGithub(review) {
  const out = [];
  for (const c of openStates(review)) {
    const file = c.highRiskPaths[0] ?? c.commit.aiPaths?.find((p) => p.aiLines > 0)?.path ?? c.commit.paths?.[0];
    const props = [
      ...file ? [`file=${escapeProperty2(printable(file))}`] : [],
      `title=${escapeProperty2(`AI sign-off ${c.state}: ${short(c.commit.id)}`)}`
    ];
    const message = `${printable(c.commit.subject)} (${aiLinesText(c)}): ${stateReason(c, review.report.signoffs)}`;
    out.push(`::error ${props.join(",")}::${escapeData2(message)}`);
  }
  for (const note of review.report.notes)
    out.push(`::warning title=AI sign-off::${escapeData2(noteText(note, printable(review.base.rev)))}`);
  return `${out.join("\n")}${out.length ? "\n" : ""}${renderText(review)}`;
}
function renderSummary(review) {
  const { report } = review;
  const out = ["## AI sign-off check", ""];
  out.push(
    report.ok ? `**Passed**: ${report.needingSignoff === 0 ? "no AI change needs sign-off" : `all ${report.needingSignoff} AI-assisted commits that need sign-off are signed off`}.` : `**Failed**: ${openStates(review).length} of ${report.needingSignoff} AI-assisted commits are not signed off.`
  );
  out.push("");
  out.push(
    `Base \`${short(review.base.id)}\` (${escapeMarkdown(review.base.rev)}), head \`${short(review.head.id)}\`; ${review.rangeSize} commits, ${report.commits.length} AI-assisted.`
  );
  for (const note of report.notes) out.push("", `> ${escapeMarkdown(noteText(note, review.base.rev))}`);
  const needing = report.commits.filter((c) => c.needsSignoff);
  if (needing.length > 0) {
    out.push("", "| State | Commit | Subject | Author | AI lines | Details |", "| --- | --- | --- | --- | --- | --- |");
    for (const c of needing) {
      out.push(
        `| ${c.state} | \`${short(c.commit.id)}\` | ${escapeMarkdown(c.commit.subject)} | ${escapeMarkdown(c.commit.author.name)} | ${escapeMarkdown(aiLinesText(c))}${c.highRisk ? " (high-risk)" : ""} | ${escapeMarkdown(stateReason(c, report.signoffs))} |`
      );
    }
  }
  if (!report.ok)
    out.push(
      "",
      `A senior listed in \`${ROSTER_PATH}\` signs off with \`${PRODUCT.cli} sign-off --base ${escapeMarkdown(review.base.rev)}\`.`
    );
  return `${out.join("\n")}

`;
}

// src/cli/ci-reports.ts
var import_node_crypto4 = require("node:crypto");
var REPORT_FORMATS = ["json", "gitlab", "junit", "sarif"];
function renderReport(format2, review, run) {
  switch (format2) {
    case "json":
      return `${JSON.stringify(toJson(review), null, 2)}
`;
    case "gitlab":
      return renderGitlab(review);
    case "junit":
      return renderJunit(review, run);
    case "sarif":
      return renderSarif(review, run);
  }
}
function visible(text) {
  return printable(text).replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  );
}
var OPEN_STATES = ["pending", "requested", "stale", "unverified", "changes-requested"];
var NOTE_CODES = ["no-roster", "empty-roster", "signers-exceed-roster"];
function ruleId(kind) {
  return `ai-signoff/${kind}`;
}
var SIGN_OFF_HELP = `A senior listed in ${ROSTER_PATH} at the base reviews the commit and signs it off with '${PRODUCT.cli} sign-off --base BASE' (an empty commit on the branch, signed with their SSH key).`;
var RULES = {
  pending: {
    name: "AiSignoffPending",
    short: "AI-assisted commit without a sign-off",
    full: "An AI-assisted commit that the repository's policy says needs a senior engineer's sign-off has none.",
    help: `${SIGN_OFF_HELP} Ask for one with '${PRODUCT.cli} request-review --to EMAIL'.`
  },
  requested: {
    name: "AiSignoffRequested",
    short: "AI-assisted commit: review requested, not signed off yet",
    full: "A review of this AI-assisted commit was requested from a senior, who has not signed it off yet.",
    help: SIGN_OFF_HELP
  },
  stale: {
    name: "AiSignoffStale",
    short: "AI-assisted commit changed after its sign-off",
    full: "A valid sign-off reviewed this commit, but its patch (git patch-id --verbatim) has changed since: what would be merged is not what was reviewed.",
    help: `${SIGN_OFF_HELP} The senior signs off the commit as it is now.`
  },
  unverified: {
    name: "AiSignoffUnverified",
    short: "AI-assisted commit whose sign-off does not count",
    full: "A sign-off names this commit but does not count: it is not signed, its signature does not verify, its key is not listed for its Reviewed-by address in the base's roster, it is malformed, not empty or a merge, it is by the commit's own author, or the base's .ai-provenance/reviewers names other owners for the commit's files.",
    help: `The message names the defect. ${SIGN_OFF_HELP}`
  },
  "changes-requested": {
    name: "AiSignoffChangesRequested",
    short: "AI-assisted commit: a senior requested changes",
    full: "A senior reviewed this AI-assisted commit and requested changes with a signed record (AI changes requested) that lists its current patch: it is not signed off.",
    help: `The record's message says what to change. Change the code (a new commit, or an amended one), then ask for review again; ${SIGN_OFF_HELP}`
  },
  "no-roster": {
    name: "AiSignoffNoRoster",
    short: "The base has no roster of seniors",
    full: `The base revision has no ${ROSTER_PATH}, so nothing can be signed off.`,
    help: `List the seniors' SSH keys in ${ROSTER_PATH} on the base branch (OpenSSH allowed-signers format: "<email> <key-type> <key>").`
  },
  "empty-roster": {
    name: "AiSignoffEmptyRoster",
    short: "The roster of seniors lists nobody",
    full: `${ROSTER_PATH} at the base lists no key, so nothing can be signed off.`,
    help: `List the seniors' SSH keys in ${ROSTER_PATH} on the base branch.`
  },
  "signers-exceed-roster": {
    name: "AiSignoffSignersExceedRoster",
    short: "High-risk commits need more seniors than the roster has",
    full: `The policy's highRiskSigners is larger than the number of keys in ${ROSTER_PATH} at the base, so a high-risk commit cannot be signed off.`,
    help: `Add seniors to ${ROSTER_PATH}, or lower signoff.highRiskSigners in .ai-provenance/policy.json, on the base branch.`
  }
};
function placeOf(c) {
  const touched = c.commit.paths;
  const noted = touched ? c.commit.aiPaths?.find((p) => p.aiLines > 0 && (p.ranges?.length ?? 0) > 0 && touched.includes(p.path)) : void 0;
  const file = noted?.path ?? c.highRiskPaths.find((p) => touched?.includes(p)) ?? touched?.[0];
  if (file === void 0)
    return {
      path: ROSTER_PATH,
      remark: `the commit changes no file, so this points at ${ROSTER_PATH}, the roster of the seniors who sign off`
    };
  const shown = visible(file);
  const line = noted?.ranges?.[0]?.start;
  return {
    path: shown,
    ...line !== void 0 ? { line } : {},
    ...shown !== file ? { remark: "its file name holds control or invisible characters, shown as their codes" } : {}
  };
}
function findingText(c, review, place) {
  const lines = `${aiLinesText(c)}${c.highRisk ? ", high-risk" : ""}`;
  const where = place.line !== void 0 ? ` First AI line: ${place.path}:${place.line} (as the commit wrote it).` : "";
  const remark = place.remark ? ` Note: ${place.remark}.` : "";
  return visible(
    `AI sign-off ${c.state}: ${short(c.commit.id)} ${c.commit.subject} (${lines}): ${stateReason(c, review.report.signoffs)}.${where}${remark}`
  );
}
function noteFinding(note, review) {
  return visible(noteText(note, review.base.rev));
}
function fingerprint(...parts) {
  return (0, import_node_crypto4.createHash)("sha256").update(["ai-provenance", ...parts].join("\0")).digest("hex");
}
function commitFingerprint(c) {
  return fingerprint(ruleId(c.state), c.commit.id);
}
function noteFingerprint(note, review) {
  return fingerprint(ruleId(note.code), review.base.rev, JSON.stringify(note));
}
function renderGitlab(review) {
  const issues = [];
  for (const c of openStates(review)) {
    const place = placeOf(c);
    issues.push({
      description: findingText(c, review, place),
      check_name: ruleId(c.state),
      fingerprint: commitFingerprint(c),
      severity: c.highRisk ? "critical" : "major",
      location: { path: place.path, lines: { begin: place.line ?? 1 } }
    });
  }
  for (const note of review.report.notes) {
    issues.push({
      description: noteFinding(note, review),
      check_name: ruleId(note.code),
      fingerprint: noteFingerprint(note, review),
      severity: "info",
      location: { path: ROSTER_PATH, lines: { begin: 1 } }
    });
  }
  return `${JSON.stringify(issues, null, 2)}
`;
}
var XML_ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
function xml(text) {
  return visible(text).replace(/[&<>"']/g, (c) => XML_ENTITIES[c]).replace(/\t/g, "&#9;");
}
function xmlLines(text) {
  return text.split("\n").map(xml).join("\n");
}
var NOT_NEEDED_SKIPPED = {
  "below-threshold": "its AI lines are below the policy's minAiLines",
  ignored: "every path it touches matches the policy's ignore globs"
};
function renderJunit(review, run) {
  const { report } = review;
  const signoffs = report.signoffs;
  const cases = [];
  let failures = 0;
  let skipped = 0;
  for (const c of report.commits) {
    const name = `${short(c.commit.id)} ${c.commit.subject}`;
    const open3 = `    <testcase classname="ai-signoff" name="${xml(name)}" time="0"`;
    if (c.needsSignoff && isDone(c.state)) {
      cases.push(`${open3}/>`);
    } else if (c.needsSignoff) {
      failures++;
      const place = placeOf(c);
      const details = [
        `commit ${c.commit.id}`,
        `patch id ${c.commit.patchId ?? "(none)"}`,
        `author ${c.commit.author.name} <${c.commit.author.email}>`,
        `state ${c.state}: ${stateReason(c, signoffs)}`,
        `AI lines: ${aiLinesText(c)}${c.highRisk ? ", high-risk" : ""}`,
        `file ${place.path}${place.line !== void 0 ? `:${place.line}` : ""}${place.remark ? ` (${place.remark})` : ""}`,
        `${RULES[c.state].help.replace("BASE", review.base.rev)}`
      ].join("\n");
      cases.push(
        `${open3}>
      <failure message="${xml(`${c.state}: ${stateReason(c, signoffs)}`)}" type="${xml(c.state)}">${xmlLines(details)}</failure>
    </testcase>`
      );
    } else if (c.notNeeded && NOT_NEEDED_SKIPPED[c.notNeeded]) {
      skipped++;
      cases.push(
        `${open3}>
      <skipped message="${xml(`no sign-off needed: ${NOT_NEEDED_SKIPPED[c.notNeeded]}`)}"/>
    </testcase>`
      );
    }
  }
  const timestamp = run.startedAt.toISOString().slice(0, 19);
  const attributes = [
    `name="${PRODUCT.cli} check"`,
    `package="ai-signoff"`,
    `id="0"`,
    `tests="${cases.length}"`,
    `failures="${failures}"`,
    `errors="0"`,
    `skipped="${skipped}"`,
    `time="${Math.max(0, run.seconds).toFixed(3)}"`,
    `timestamp="${timestamp}"`,
    `hostname="${xml(run.hostname) || "localhost"}"`
  ];
  const properties = [
    ["base", review.base.rev],
    ["base.commit", review.base.id],
    ["head", review.head.rev],
    ["head.commit", review.head.id],
    ["policy", review.policySource === "base" ? `${PRODUCT.policyDir}/policy.json at the base` : "defaults"]
  ].map(([name, value]) => `      <property name="${xml(name)}" value="${xml(value)}"/>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<testsuites>",
    `  <testsuite ${attributes.join(" ")}>`,
    "    <properties>",
    ...properties,
    "    </properties>",
    ...cases,
    `    <system-out>${xmlLines(renderText(review))}</system-out>`,
    "    <system-err></system-err>",
    "  </testsuite>",
    "</testsuites>",
    ""
  ].join("\n");
}
function pathUri(file) {
  return file.split("/").map(encodeURIComponent).join("/");
}
var SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
function renderSarif(review, run) {
  const kinds = [...OPEN_STATES, ...NOTE_CODES];
  const rules = kinds.map((kind) => {
    const rule = RULES[kind];
    return {
      id: ruleId(kind),
      name: rule.name,
      shortDescription: { text: rule.short },
      fullDescription: { text: rule.full },
      help: { text: rule.help },
      defaultConfiguration: { level: NOTE_CODES.includes(kind) ? "warning" : "error" },
      properties: { tags: ["ai-provenance", "ai-signoff"] }
    };
  });
  const location = (place) => ({
    physicalLocation: {
      artifactLocation: { uri: pathUri(place.path), uriBaseId: "%SRCROOT%" },
      ...place.line !== void 0 ? { region: { startLine: place.line } } : {}
    }
  });
  const results = [];
  for (const c of openStates(review)) {
    const state = c.state;
    const place = placeOf(c);
    results.push({
      ruleId: ruleId(state),
      ruleIndex: kinds.indexOf(state),
      level: "error",
      message: { text: findingText(c, review, place) },
      locations: [location(place)],
      partialFingerprints: { "aiProvenanceFinding/v1": commitFingerprint(c) },
      properties: {
        commit: c.commit.id,
        patchId: c.commit.patchId ?? null,
        state,
        highRisk: c.highRisk,
        aiLines: c.aiLines ?? null,
        requiredSigners: c.requiredSigners,
        signers: c.signers.map((s) => s.email),
        ...c.routing ? { owners: c.routing.seniors, ownersEnforced: c.routing.enforced } : {}
      }
    });
  }
  for (const note of review.report.notes) {
    results.push({
      ruleId: ruleId(note.code),
      ruleIndex: kinds.indexOf(note.code),
      level: "warning",
      message: { text: noteFinding(note, review) },
      locations: [location({ path: ROSTER_PATH })],
      partialFingerprints: { "aiProvenanceFinding/v1": noteFingerprint(note, review) },
      properties: { note }
    });
  }
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: PRODUCT.displayName,
            informationUri: PRODUCT.homepage,
            version: run.version,
            rules
          }
        },
        results,
        properties: {
          ok: review.report.ok,
          base: { rev: review.base.rev, commit: review.base.id },
          head: { rev: review.head.rev, commit: review.head.id }
        }
      }
    ]
  };
  return `${JSON.stringify(sarif, null, 2)}
`;
}

// src/cli/version.ts
var fs9 = require("node:fs");
var path12 = require("node:path");
function toolVersion() {
  if (true) return "0.1.0";
  const pkg = JSON.parse(fs9.readFileSync(path12.join(__dirname, "..", "..", "..", "package.json"), "utf8"));
  return pkg.version;
}

// src/action/main.ts
var REPORTS = {
  json: "ai-provenance-check.json",
  gitlab: "gl-code-quality-report.json",
  junit: "ai-provenance-junit.xml",
  sarif: "ai-provenance.sarif"
};
function rangeOfEvent(eventName, eventPath) {
  const source = `the ${eventName ?? "unknown"} event`;
  if (!eventPath || !fs10.existsSync(eventPath)) return { source };
  let payload;
  try {
    payload = JSON.parse(fs10.readFileSync(eventPath, "utf8"));
  } catch (error2) {
    throw new ActionInputError(
      `the event payload ${eventPath} is not JSON (${error2 instanceof Error ? error2.message : String(error2)}): give the action base and head inputs`
    );
  }
  const sha = (value) => typeof value === "string" && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(value) ? value : void 0;
  const p = payload ?? {};
  if (p.pull_request) {
    const base = sha(p.pull_request.base?.sha);
    const head = sha(p.pull_request.head?.sha);
    const ref = p.pull_request.base?.ref;
    const baseBranch = typeof ref === "string" && /^[\w./-]+$/.test(ref) && !ref.includes("..") && !ref.startsWith("-") ? ref : void 0;
    return {
      ...base ? { base } : {},
      ...head ? { head } : {},
      ...baseBranch ? { baseBranch } : {},
      source: `${source}'s pull request`
    };
  }
  if (p.merge_group) {
    const base = sha(p.merge_group.base_sha);
    const head = sha(p.merge_group.head_sha);
    return { ...base ? { base } : {}, ...head ? { head } : {}, source: `${source}'s merge group` };
  }
  return { source };
}
var ActionInputError = class extends Error {
  name = "ActionInputError";
};
function actionLogger() {
  const line = (message, args) => (0, import_node_util.format)(message instanceof Error ? message.message : message, ...args);
  return {
    error: (message, ...args) => error(line(message, args)),
    warn: (message, ...args) => warning(line(message, args)),
    info: (message, ...args) => debug(line(message, args)),
    debug: (message, ...args) => debug(line(message, args)),
    trace: () => void 0
  };
}
async function runAction() {
  const logger = actionLogger();
  const workspace = path13.resolve(getInput("working-directory") || process.env.GITHUB_WORKSPACE || process.cwd());
  const format2 = getInput("format") || "none";
  if (format2 !== "none" && !REPORT_FORMATS.includes(format2))
    throw new ActionInputError(`the format input must be none or ${REPORT_FORMATS.join(", ")} (got "${format2}")`);
  const event = rangeOfEvent(process.env.GITHUB_EVENT_NAME, process.env.GITHUB_EVENT_PATH);
  const base = getInput("base") || event.base;
  if (!base)
    throw new ActionInputError(
      `no base to check against: ${event.source} names no pull request or merge group. Run the action on pull_request (or merge_group), or give it one: with: base: refs/remotes/origin/main`
    );
  const head = getInput("head") || event.head || "HEAD";
  const location = await locateRepository(workspace, { logger });
  const requests = await readReviewRequests(location, logger).catch((error2) => {
    logger.warn(`could not read review requests: ${error2 instanceof Error ? error2.message : String(error2)}`);
    return [];
  });
  const startedAt = /* @__PURE__ */ new Date();
  const review = await reviewBranch({ cwd: workspace, location, base, head, logger, requests, withPaths: true });
  process.stdout.write(renderGithub(review));
  if (process.env.GITHUB_STEP_SUMMARY) await summary.addRaw(renderSummary(review)).write();
  const { report } = review;
  const open3 = openStates(review).length;
  setOutput("ok", String(report.ok));
  setOutput("ai-commits", String(report.commits.length));
  setOutput("need-signoff", String(report.needingSignoff));
  setOutput("not-signed-off", String(open3));
  setOutput("base", review.base.id);
  setOutput("head", review.head.id);
  if (format2 !== "none") {
    const file = path13.resolve(workspace, getInput("report-path") || REPORTS[format2]);
    const run = {
      version: toolVersion(),
      startedAt,
      seconds: (Date.now() - startedAt.getTime()) / 1e3,
      hostname: os8.hostname()
    };
    writeFileAtomicSync(file, renderReport(format2, review, run));
    setOutput("report", file);
  }
  if (!report.ok)
    setFailed(
      `${open3} of ${report.needingSignoff} AI-assisted ${report.needingSignoff === 1 ? "commit is" : "commits are"} not signed off by a senior; a senior listed in .ai-provenance/allowed_signers signs off with: ${PRODUCT.cli} sign-off --base ${event.baseBranch && !getInput("base") ? `origin/${event.baseBranch}` : review.base.rev}`
    );
}
function main() {
  runAction().catch((error2) => {
    const failure = cliFailure(error2);
    if (failure || error2 instanceof ActionInputError)
      setFailed(error2 instanceof Error ? error2.message : String(error2));
    else
      setFailed(
        `internal error in ${PRODUCT.displayName}: ${error2 instanceof Error ? error2.stack ?? error2.message : String(error2)}; please report it`
      );
  });
}
if (require.main === module) main();
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  main,
  rangeOfEvent,
  runAction
});

function __lazyRequire(id) {
  let m;
  return new Proxy({}, { get: (_, key) => (m ??= require(id))[key] });
}
