import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted model server on 127.0.0.1 for the real agent CLIs, offline. It speaks the Anthropic Messages API as
 * Claude Code calls it (`POST /v1/messages?beta=true`, answers streamed as server-sent events), and the OpenAI
 * Responses API as Codex calls it from a custom provider (`POST /v1/responses`, streamed): there a tool call is a
 * function call (`exec_command` with `cmd`), or, for `apply_patch`, a freeform custom tool call whose input is the
 * patch text (`input.patch` in the script), and the turn is the number of tool outputs Codex has sent back; and
 * Gemini's `generateContent` / `streamGenerateContent?alt=sse` as Gemini CLI calls it at `GOOGLE_GEMINI_BASE_URL`
 * (a tool call is a `functionCall` part; the turn is the number of `functionResponse` parts sent back; a request
 * that asks for JSON by schema, its model router's, gets an object of that schema); and OpenAI Chat Completions
 * (`POST /v1/chat/completions`) for OpenAI-compatible providers (the Cline CLI). Each conversation
 * is matched by a text its first user message contains (a sub-agent's conversation starts with the prompt the
 * parent gave it); its answers are the script's turns in order, one per assistant turn so far. A request with no
 * tools (a title, a summary) gets a short text answer.
 */
export interface ToolUse {
  tool: string;
  input: Record<string, unknown>;
}
/** One assistant turn: tool calls, or (a string) a final text. */
export type Turn = ToolUse[] | string;
/** The turns of an agent that reads a file, then uses a tool, then says it is done. */
export function readThen(read: ToolUse, act: ToolUse): Turn[] {
  return [[read], [act], 'Done.'];
}

export interface Conversation {
  /** A text the conversation's first user message contains. */
  match: string;
  /** The model the answers claim to come from (default: the one asked for). */
  model?: string;
  turns: Turn[];
  /**
   * Holds back every answer whose request contains `when` (a tool result the agent sends back) for `ms`: time for
   * what the agent left running in the background to write before the turn goes on.
   */
  pause?: { when: string; ms: number };
}

export interface ModelServer {
  url: string;
  /** The conversations it answers from (a test may fill them in once it knows its folders). */
  readonly conversations: Conversation[];
  /** Every request body received, parsed. */
  readonly requests: { path: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

type Message = { role?: string; content?: unknown };

function firstUserText(messages: readonly Message[]): string {
  const first = messages.find(m => m.role === 'user');
  if (!first) return '';
  if (typeof first.content === 'string') return first.content;
  if (!Array.isArray(first.content)) return '';
  return first.content
    .map(c => (typeof c === 'object' && c !== null && 'text' in c ? String((c as { text: unknown }).text) : ''))
    .join('\n');
}

/**
 * OpenAI Chat Completions (`POST /v1/chat/completions`), as OpenAI-compatible providers call it (the Cline CLI):
 * streamed as `chat.completion.chunk` events ending in `data: [DONE]`, a tool call being a `tool_calls` delta with
 * the arguments as one JSON string; the turn is the number of assistant messages so far.
 */
function answerChat(
  body: Record<string, unknown>,
  res: http.ServerResponse,
  conversations: readonly Conversation[],
  sequence: number,
): void {
  const messages = (Array.isArray(body.messages) ? body.messages : []) as Message[];
  const tools = Array.isArray(body.tools) ? body.tools : [];
  const text = firstUserText(messages);
  const conversation = tools.length > 0 ? conversations.find(c => text.includes(c.match)) : undefined;
  const turn: Turn = conversation?.turns[messages.filter(m => m.role === 'assistant').length] ?? 'Done.';
  const model = conversation?.model ?? (typeof body.model === 'string' ? body.model : 'gpt-5.5');
  const id = `chatcmpl-${sequence}`;
  const created = 1_700_000_000;
  const chunk = (delta: object, finish: string | null): object => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const toolCalls =
    typeof turn === 'string'
      ? []
      : turn.map((use, index) => ({
          index,
          id: `call_${sequence}_${index}`,
          type: 'function',
          function: { name: use.tool, arguments: JSON.stringify(use.input) },
        }));
  const finish = typeof turn === 'string' ? 'stop' : 'tool_calls';
  if (body.stream !== true) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: typeof turn === 'string' ? turn : null,
              ...(toolCalls.length > 0 ? { tool_calls: toolCalls.map(({ index: _, ...c }) => c) } : {}),
            },
            finish_reason: finish,
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      }),
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (data: object): void => {
    res.write(`data: ${JSON.stringify(data)}\n\n`);
  };
  send(chunk({ role: 'assistant', content: '' }, null));
  if (typeof turn === 'string') send(chunk({ content: turn }, null));
  else send(chunk({ tool_calls: toolCalls }, null));
  send({ ...chunk({}, finish), usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
  res.write('data: [DONE]\n\n');
  res.end();
}

export async function startModelServer(script: readonly Conversation[]): Promise<ModelServer> {
  const conversations = [...script];
  const requests: ModelServer['requests'] = [];
  let sequence = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const pause = conversations.find(c => c.pause && raw.includes(c.pause.when))?.pause;
      if (pause) setTimeout(() => respond(raw, req, res), pause.ms);
      else respond(raw, req, res);
    });
  });
  const respond = (raw: string, req: http.IncomingMessage, res: http.ServerResponse): void => {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw || '{}') as Record<string, unknown>;
    } catch {
      // an empty or odd body: answered like any other
    }
    const url = req.url ?? '';
    requests.push({ path: url, body });
    if (url.startsWith('/v1/responses')) return answerResponses(body, res, conversations, ++sequence);
    if (url.startsWith('/v1/chat/completions')) return answerChat(body, res, conversations, ++sequence);
    if (/:(stream)?[gG]enerateContent/.test(url)) return answerGemini(url, body, res, conversations);
    if (!url.startsWith('/v1/messages') || url.includes('count_tokens')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ input_tokens: 10 }));
      return;
    }
    const messages = (Array.isArray(body.messages) ? body.messages : []) as Message[];
    const tools = Array.isArray(body.tools) ? body.tools : [];
    const text = firstUserText(messages);
    const conversation = tools.length > 0 ? conversations.find(c => text.includes(c.match)) : undefined;
    const turn: Turn = conversation?.turns[messages.filter(m => m.role === 'assistant').length] ?? 'Done.';
    const model = conversation?.model ?? (typeof body.model === 'string' ? body.model : 'claude-sonnet-4-5');
    const id = `msg_${++sequence}`;
    if (body.stream !== true) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [{ type: 'text', text: typeof turn === 'string' ? turn : 'Done.' }],
          stop_reason: 'end_turn',
          usage: { input_tokens: 10, output_tokens: 1 },
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (event: string, data: object): void => {
      res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
    };
    send('message_start', {
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        usage: { input_tokens: 10, output_tokens: 1 },
      },
    });
    if (typeof turn === 'string') {
      send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: turn } });
      send('content_block_stop', { index: 0 });
    } else {
      turn.forEach((use, index) => {
        send('content_block_start', {
          index,
          content_block: { type: 'tool_use', id: `toolu_${sequence}_${index}`, name: use.tool, input: {} },
        });
        send('content_block_delta', {
          index,
          delta: { type: 'input_json_delta', partial_json: JSON.stringify(use.input) },
        });
        send('content_block_stop', { index });
      });
    }
    send('message_delta', {
      delta: { stop_reason: typeof turn === 'string' ? 'end_turn' : 'tool_use', stop_sequence: null },
      usage: { output_tokens: 5 },
    });
    send('message_stop', {});
    res.end();
  };
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    conversations,
    requests,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

type ResponseInput = { type?: string; role?: string; content?: unknown };

/** The Responses API, for Codex: one scripted turn per request, streamed as Codex reads it. */
function answerResponses(
  body: Record<string, unknown>,
  res: http.ServerResponse,
  conversations: readonly Conversation[],
  sequence: number,
): void {
  const input = (Array.isArray(body.input) ? body.input : []) as ResponseInput[];
  const userText = input
    .filter(i => i.role === 'user' && Array.isArray(i.content))
    .flatMap(i => (i.content as { text?: unknown }[]).map(c => (typeof c.text === 'string' ? c.text : '')))
    .join('\n');
  const conversation = conversations.find(c => userText.includes(c.match));
  const outputs = input.filter(i => i.type === 'function_call_output' || i.type === 'custom_tool_call_output').length;
  const turn: Turn = conversation?.turns[outputs] ?? 'Done.';
  const id = `resp_${sequence}`;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (type: string, data: object): void => {
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  };
  send('response.created', { response: { id } });
  const items =
    typeof turn === 'string'
      ? [{ type: 'message', role: 'assistant', id: `msg_${sequence}`, content: [{ type: 'output_text', text: turn }] }]
      : turn.map((use, i) =>
          use.tool === 'apply_patch'
            ? {
                type: 'custom_tool_call',
                id: `ctc_${sequence}_${i}`,
                call_id: `call_${sequence}_${i}`,
                name: 'apply_patch',
                input: String(use.input.patch),
              }
            : {
                type: 'function_call',
                id: `fc_${sequence}_${i}`,
                call_id: `call_${sequence}_${i}`,
                name: use.tool,
                arguments: JSON.stringify(use.input),
              },
        );
  for (const item of items) send('response.output_item.done', { item });
  send('response.completed', {
    response: {
      id,
      usage: {
        input_tokens: 10,
        input_tokens_details: null,
        output_tokens: 5,
        output_tokens_details: null,
        total_tokens: 15,
      },
    },
  });
  res.end();
}

type GeminiContent = { role?: string; parts?: { text?: unknown; functionResponse?: unknown }[] };

/** Gemini's generateContent API, for Gemini CLI. */
function answerGemini(
  url: string,
  body: Record<string, unknown>,
  res: http.ServerResponse,
  conversations: readonly Conversation[],
): void {
  const contents = (Array.isArray(body.contents) ? body.contents : []) as GeminiContent[];
  const parts = contents.flatMap(c => c.parts ?? []);
  const userText = contents
    .filter(c => c.role === 'user')
    .flatMap(c => c.parts ?? [])
    .map(p => (typeof p.text === 'string' ? p.text : ''))
    .join('\n');
  const config = (body.generationConfig ?? {}) as {
    responseJsonSchema?: { properties?: Record<string, { type?: string }> };
  };
  let answer: object[];
  if (config.responseJsonSchema) {
    // The model router asks for a JSON object of a schema: any valid one will do.
    const value = Object.fromEntries(
      Object.entries(config.responseJsonSchema.properties ?? {}).map(([k, v]) => [
        k,
        /int|num/i.test(v.type ?? '') ? 10 : /bool/i.test(v.type ?? '') ? false : 'scripted',
      ]),
    );
    answer = [{ text: JSON.stringify(value) }];
  } else {
    const conversation = conversations.find(c => userText.includes(c.match));
    const turn: Turn = conversation?.turns[parts.filter(p => p.functionResponse !== undefined).length] ?? 'Done.';
    answer =
      typeof turn === 'string'
        ? [{ text: turn }]
        : turn.map(use => ({ functionCall: { name: use.tool, args: use.input } }));
  }
  const chunk = {
    candidates: [{ content: { role: 'model', parts: answer }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
  };
  if (url.includes('streamGenerateContent')) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(`data: ${JSON.stringify(chunk)}\n\n`);
  } else {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(chunk));
  }
}
