// A language model for the e2e suite: VS Code's own agent (the built-in Copilot Chat of VS Code 1.104 and later)
// runs against it, offline, and does what the suite scripts: call one of the agent's file tools, then finish.
// It is a development extension of its own because a provider must be declared in the package.json of the
// extension that registers it, and the product must not declare one.
import * as vscode from 'vscode';

/** What one request to the model carried: the tools the agent offered and the tool results it sent back. */
export interface ScriptedRequest {
  readonly tools: readonly { name: string; schema: unknown }[];
  readonly toolResults: readonly string[];
  readonly lastUserText: string;
}

/** The model's answer to a request: text, or one tool call. */
export type ScriptedAnswer = { text: string } | { tool: string; input: object };

export interface ScriptedModelApi {
  readonly vendor: string;
  readonly id: string;
  /** False where this VS Code has no stable language model provider API (before 1.104). */
  readonly registered: boolean;
  /** Sets how the model answers; the default answers every request with a short text. */
  script(answer: (request: ScriptedRequest) => ScriptedAnswer): void;
  /** Every request the model was sent, oldest first. */
  readonly requests: readonly ScriptedRequest[];
}

// The provider API as VS Code 1.104 made it stable; the project's @types/vscode is the oldest supported (1.100).
interface ModelInfo {
  id: string;
  name: string;
  family: string;
  version: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  capabilities: { toolCalling: boolean; imageInput: boolean };
  isUserSelectable?: boolean;
}
interface Provider {
  provideLanguageModelChatInformation(options: unknown, token: vscode.CancellationToken): ModelInfo[];
  provideLanguageModelChatResponse(
    model: ModelInfo,
    messages: readonly { role: number; content: readonly unknown[] }[],
    options: { tools?: readonly { name: string; inputSchema?: unknown }[] },
    progress: vscode.Progress<unknown>,
    token: vscode.CancellationToken,
  ): Promise<void>;
  provideTokenCount(model: ModelInfo, text: unknown, token: vscode.CancellationToken): Promise<number>;
}
type Register = (vendor: string, provider: Provider) => vscode.Disposable;

const VENDOR = 'ai-provenance-scripted';
const MODEL: ModelInfo = {
  id: 'scripted-1',
  name: 'Scripted',
  family: 'scripted',
  version: '1',
  maxInputTokens: 200000,
  maxOutputTokens: 8192,
  capabilities: { toolCalling: true, imageInput: false },
  isUserSelectable: true,
};

function textOf(part: unknown): string {
  if (part instanceof vscode.LanguageModelTextPart) return part.value;
  return '';
}

export function activate(context: vscode.ExtensionContext): ScriptedModelApi {
  const requests: ScriptedRequest[] = [];
  let answer: (request: ScriptedRequest) => ScriptedAnswer = () => ({ text: 'Nothing scripted.' });
  const register = (vscode.lm as unknown as { registerLanguageModelChatProvider?: Register })
    .registerLanguageModelChatProvider;
  if (register) {
    context.subscriptions.push(
      register(VENDOR, {
        provideLanguageModelChatInformation: () => [MODEL],
        async provideLanguageModelChatResponse(_model, messages, options, progress) {
          const toolResults: string[] = [];
          let lastUserText = '';
          for (const message of messages)
            for (const part of message.content) {
              if (part instanceof vscode.LanguageModelToolResultPart)
                toolResults.push(part.content.map(textOf).join(''));
              else if (message.role === vscode.LanguageModelChatMessageRole.User && textOf(part))
                lastUserText = textOf(part);
            }
          const request: ScriptedRequest = {
            tools: (options.tools ?? []).map(t => ({ name: t.name, schema: t.inputSchema })),
            toolResults,
            lastUserText,
          };
          requests.push(request);
          const next = answer(request);
          if ('text' in next) progress.report(new vscode.LanguageModelTextPart(next.text));
          else
            progress.report(
              new vscode.LanguageModelToolCallPart(
                `call_${requests.length}`,
                next.tool,
                next.input as Record<string, unknown>,
              ),
            );
        },
        provideTokenCount: async (_model, text) =>
          Math.ceil((typeof text === 'string' ? text.length : JSON.stringify(text).length) / 4),
      }),
    );
  }
  return {
    vendor: VENDOR,
    id: MODEL.id,
    registered: !!register,
    script(next) {
      answer = next;
    },
    requests,
  };
}
