// The official Dify Node.js SDK (npm dify-client 2.3.x) against Weft's service API (/v1).
// Run by ServiceClientsIT, which starts the distribution and the fake model, and publishes the apps.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { ChatClient, CompletionClient, DifyClient } from 'dify-client';
import { readSse, setting } from './weft.mjs';

const BASE_URL = `${setting('WEFT_BASE_URL')}/v1`;
const ANSWER = setting('WEFT_FAKE_ANSWER');
const USER = `dify-client-user-${process.pid}`;

/** The header the request really carried (axios' Node request, as the response keeps it). */
const sentHeader = (response, name) => response.request.getHeader(name);

/** The JSON body the client sent. */
const sentBody = (response) => JSON.parse(response.config.data);

/** The answer of a streamed chat or completion: the `message` deltas, up to `message_end`. */
function answerOf(stream) {
  return stream.events.filter((e) => e.event === 'message').map((e) => e.answer).join('');
}

describe('dify-client ChatClient on a chat app', () => {
  const chat = new ChatClient(setting('WEFT_CHAT_KEY'), BASE_URL);
  let conversationId;
  let firstMessageId;
  let uploadId;

  test('getApplicationParameters gives the app\'s parameters (a GET with a JSON content type)', async () => {
    const response = await chat.getApplicationParameters(USER);
    assert.equal(response.status, 200);
    assert.equal(sentHeader(response, 'content-type'), 'application/json');
    assert.equal(response.config.method, 'get');
    assert.equal(response.data.opening_statement, 'Hello from Weft.');
    assert.ok(Array.isArray(response.data.user_input_form), JSON.stringify(response.data));
    assert.ok(Array.isArray(response.data.suggested_questions));
    assert.equal(typeof response.data.system_parameters.file_size_limit, 'number');
  });

  test('createChatMessage, blocking, answers with the model\'s text and starts a conversation', async () => {
    const response = await chat.createChatMessage({}, 'dify-client first question', USER);
    assert.equal(response.status, 200);
    const sent = sentBody(response);
    assert.equal(sent.files, null, 'the client sends files: null');
    assert.equal(sent.response_mode, 'blocking');
    const body = response.data;
    assert.equal(body.event, 'message');
    assert.equal(body.mode, 'chat');
    assert.equal(body.answer, ANSWER);
    assert.match(body.conversation_id, /^[0-9a-f-]{36}$/);
    assert.ok(body.message_id, JSON.stringify(body));
    assert.equal(body.id, body.message_id);
    assert.ok(body.task_id);
    assert.equal(typeof body.metadata.usage.total_tokens, 'number');
    assert.equal(typeof body.created_at, 'number');
    conversationId = body.conversation_id;
    firstMessageId = body.message_id;
  });

  test('a second message goes on in the same conversation', async () => {
    const response = await chat.createChatMessage({}, 'dify-client second question', USER, false, conversationId);
    assert.equal(response.data.conversation_id, conversationId);
    assert.equal(response.data.answer, ANSWER);
    assert.notEqual(response.data.message_id, firstMessageId);

    const messages = await chat.getConversationMessages(USER, conversationId);
    assert.equal(sentHeader(messages, 'content-type'), 'application/json');
    assert.deepEqual(messages.data.data.map((m) => [m.query, m.answer]), [
      ['dify-client first question', ANSWER],
      ['dify-client second question', ANSWER],
    ]);
    assert.equal(messages.data.has_more, false);
    for (const message of messages.data.data) {
      assert.equal(message.conversation_id, conversationId);
      assert.equal(message.status, 'normal');
    }
  });

  test('createChatMessage, streaming, sends message deltas up to message_end', async () => {
    const response = await chat.createChatMessage({}, 'dify-client streamed question', USER, true, conversationId);
    assert.equal(response.status, 200);
    assert.match(String(response.headers['content-type']), /^text\/event-stream/);
    assert.equal(sentBody(response).response_mode, 'streaming');
    const stream = await readSse(response.data);
    assert.ok(stream.names.filter((n) => n === 'message').length > 1, `several message events: ${stream.names}`);
    assert.equal(stream.names.at(-1), 'message_end', `ends with message_end: ${stream.names}`);
    assert.equal(answerOf(stream), ANSWER);
    const ids = new Set(stream.events.map((e) => e.message_id));
    assert.equal(ids.size, 1, 'one message');
    for (const event of stream.events) {
      assert.equal(event.conversation_id, conversationId);
      assert.ok(event.task_id);
    }
    assert.equal(typeof stream.events.at(-1).metadata.usage.total_tokens, 'number');
  });

  test('getConversations lists the conversation (a GET with a JSON content type)', async () => {
    const response = await chat.getConversations(USER);
    assert.equal(response.status, 200);
    assert.equal(sentHeader(response, 'content-type'), 'application/json');
    const found = response.data.data.find((c) => c.id === conversationId);
    assert.ok(found, JSON.stringify(response.data));
    assert.equal(response.data.has_more, false);
    const limited = await chat.getConversations(USER, null, 1);
    assert.equal(limited.data.limit, 1);
    assert.equal(limited.data.data.length, 1);
  });

  test('renameConversation names it', async () => {
    const response = await chat.renameConversation(conversationId, 'Named by dify-client', USER, false);
    assert.equal(response.status, 200);
    assert.equal(response.data.id, conversationId);
    assert.equal(response.data.name, 'Named by dify-client');
    const listed = await chat.getConversations(USER);
    assert.equal(listed.data.data.find((c) => c.id === conversationId).name, 'Named by dify-client');
    const generated = await chat.renameConversation(conversationId, undefined, USER, true);
    assert.equal(generated.data.name, 'dify-client first question');
  });

  test('getConversationMessages pages back with first_id and limit', async () => {
    const last = await chat.getConversationMessages(USER, conversationId, null, 1);
    assert.equal(last.data.limit, 1);
    assert.equal(last.data.has_more, true);
    assert.deepEqual(last.data.data.map((m) => m.query), ['dify-client streamed question']);
    const before = await chat.getConversationMessages(USER, conversationId, last.data.data[0].id, 2);
    assert.deepEqual(before.data.data.map((m) => m.query), ['dify-client first question', 'dify-client second question']);
    assert.equal(before.data.has_more, false);
  });

  test('messageFeedback likes a message', async () => {
    const response = await chat.messageFeedback(firstMessageId, 'like', USER);
    assert.equal(response.status, 200);
    assert.equal(response.data.result, 'success');
    const messages = await chat.getConversationMessages(USER, conversationId);
    const rated = messages.data.data.find((m) => m.id === firstMessageId);
    assert.deepEqual(rated.feedback, { rating: 'like' });
  });

  test('fileUpload takes a FormData with file and user', async () => {
    const form = new FormData();
    form.append('file', new Blob(['Notes for the weft test.\n'], { type: 'text/plain' }), 'notes.txt');
    form.append('user', USER);
    const response = await chat.fileUpload(form);
    assert.equal(response.status, 201);
    assert.match(sentHeader(response, 'content-type'), /^multipart\/form-data; ?boundary=/);
    assert.ok(response.data.id, JSON.stringify(response.data));
    assert.equal(response.data.name, 'notes.txt');
    assert.equal(response.data.extension, 'txt');
    assert.equal(response.data.size, 'Notes for the weft test.\n'.length);
    // created_by is the end user's id, as in Dify: the end user it names is USER
    assert.match(response.data.created_by, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const uploader = await chat.sendRequest('GET', `/end-users/${response.data.created_by}`);
    assert.equal(uploader.data.session_id, USER);
    assert.equal(uploader.data.type, 'service_api');
    uploadId = response.data.id;
  });

  test('createChatMessage with the uploaded file as a local_file answers', async () => {
    const files = [{ type: 'document', transfer_method: 'local_file', upload_file_id: uploadId }];
    const response = await chat.createChatMessage({}, 'dify-client question with a file', USER, false, null, files);
    assert.equal(response.status, 200);
    assert.deepEqual(sentBody(response).files, files);
    assert.equal(response.data.answer, ANSWER);
    assert.ok(response.data.conversation_id);
    assert.notEqual(response.data.conversation_id, conversationId);
  });

  test('deleteConversation (a DELETE with a JSON body) removes it', async () => {
    const response = await chat.deleteConversation(conversationId, USER);
    assert.equal(response.status, 204);
    assert.equal(response.config.method, 'delete');
    assert.deepEqual(sentBody(response), { user: USER });
    assert.equal(sentHeader(response, 'content-type'), 'application/json');
    const listed = await chat.getConversations(USER);
    assert.equal(listed.data.data.find((c) => c.id === conversationId), undefined);
    await assert.rejects(chat.getConversationMessages(USER, conversationId), (error) => {
      assert.equal(error.response.status, 404);
      assert.equal(error.response.data.code, 'not_found');
      assert.equal(error.response.data.status, 404);
      return true;
    });
  });

  test('errors come as Dify\'s {code, message, status}', async () => {
    const wrongKey = new ChatClient('app-not-a-key-of-this-server', BASE_URL);
    await assert.rejects(wrongKey.getApplicationParameters(USER), (error) => {
      assert.equal(error.response.status, 401);
      assert.equal(error.response.data.code, 'unauthorized', JSON.stringify(error.response.data));
      assert.equal(error.response.data.status, 401);
      assert.equal(typeof error.response.data.message, 'string');
      return true;
    });
    await assert.rejects(chat.createChatMessage({}, 'hello', USER, false, '00000000-0000-0000-0000-000000000000'),
      (error) => {
        assert.equal(error.response.status, 404);
        assert.deepEqual(error.response.data, {
          code: 'not_found', message: 'Conversation Not Exists.', status: 404,
        });
        return true;
      });
  });
});

describe('dify-client CompletionClient on a completion app', () => {
  const completion = new CompletionClient(setting('WEFT_COMPLETION_KEY'), BASE_URL);

  test('getApplicationParameters gives the input form', async () => {
    const response = await completion.getApplicationParameters(USER);
    const form = response.data.user_input_form;
    assert.equal(form.length, 1, JSON.stringify(form));
    assert.equal(form[0]['text-input'].variable, 'topic');
    assert.equal(form[0]['text-input'].required, true);
  });

  test('createCompletionMessage, blocking, answers', async () => {
    const response = await completion.createCompletionMessage({ topic: 'otters' }, USER);
    assert.equal(response.status, 200);
    assert.equal(sentBody(response).files, null);
    assert.equal(response.data.answer, ANSWER);
    assert.equal(response.data.mode, 'completion');
    assert.ok(response.data.message_id);
    assert.equal(response.data.conversation_id, undefined);
  });

  test('createCompletionMessage, streaming, sends the answer up to message_end', async () => {
    const response = await completion.createCompletionMessage({ topic: 'otters' }, USER, true);
    const stream = await readSse(response.data);
    assert.equal(answerOf(stream), ANSWER);
    assert.equal(stream.names.at(-1), 'message_end', `ends with message_end: ${stream.names}`);
  });

  test('a missing required input is refused', async () => {
    await assert.rejects(completion.createCompletionMessage({}, USER), (error) => {
      assert.equal(error.response.status, 400);
      assert.equal(error.response.data.code, 'invalid_param');
      return true;
    });
  });
});

describe('dify-client CompletionClient.runWorkflow on a workflow app', () => {
  const workflow = new CompletionClient(setting('WEFT_WORKFLOW_KEY'), BASE_URL);

  test('runWorkflow, blocking, gives the outputs', async () => {
    const response = await workflow.runWorkflow({ name: 'Ada' }, USER);
    assert.equal(response.status, 200);
    const body = response.data;
    assert.ok(body.workflow_run_id, JSON.stringify(body));
    assert.equal(body.data.id, body.workflow_run_id);
    assert.equal(body.data.status, 'succeeded');
    assert.deepEqual(body.data.outputs, { greeting: 'Hello, Ada!' });
    assert.equal(body.data.error, null);
    assert.equal(body.data.total_steps, 3);
  });

  test('runWorkflow, streaming, ends with workflow_finished', async () => {
    const response = await workflow.runWorkflow({ name: 'Grace' }, USER, true);
    const stream = await readSse(response.data);
    assert.equal(stream.names[0], 'workflow_started', `${stream.names}`);
    assert.ok(stream.names.includes('node_finished'), `${stream.names}`);
    assert.equal(stream.names.at(-1), 'workflow_finished', `${stream.names}`);
    const finished = stream.events.at(-1);
    assert.equal(finished.data.status, 'succeeded');
    assert.deepEqual(finished.data.outputs, { greeting: 'Hello, Grace!' });
    for (const event of stream.events) {
      assert.equal(event.workflow_run_id, finished.workflow_run_id);
    }
  });

  test('a chat message to a workflow app is refused as not_chat_app', async () => {
    const asChat = new ChatClient(setting('WEFT_WORKFLOW_KEY'), BASE_URL);
    await assert.rejects(asChat.createChatMessage({}, 'hi', USER), (error) => {
      assert.equal(error.response.status, 400);
      assert.equal(error.response.data.code, 'not_chat_app');
      return true;
    });
  });
});

describe('dify-client ChatClient on a chatflow (advanced-chat) app', () => {
  const chatflow = new ChatClient(setting('WEFT_CHATFLOW_KEY'), BASE_URL);

  test('createChatMessage, blocking and streaming', async () => {
    const blocking = await chatflow.createChatMessage({}, 'chatflow question', USER);
    assert.equal(blocking.data.answer, ANSWER);
    assert.equal(blocking.data.mode, 'advanced-chat');
    const streamed = await chatflow.createChatMessage({}, 'chatflow again', USER, true, blocking.data.conversation_id);
    const stream = await readSse(streamed.data);
    assert.equal(answerOf(stream), ANSWER);
    assert.deepEqual(stream.names.slice(-2), ['message_end', 'workflow_finished'], `${stream.names}`);
    assert.equal(stream.events.at(-1).data.status, 'succeeded');
    const messages = await chatflow.getConversationMessages(USER, blocking.data.conversation_id);
    assert.equal(messages.data.data.length, 2);
  });
});

test('the DifyClient base class reaches the same API', async () => {
  const client = new DifyClient(setting('WEFT_WORKFLOW_KEY'), BASE_URL);
  const response = await client.getApplicationParameters(USER);
  assert.equal(response.status, 200);
  assert.deepEqual(response.data.user_input_form.map((f) => f['text-input']?.variable), ['name']);
});

test('the SSE reader takes keep-alive pings, CRLF and blocks split across chunks', async () => {
  // Weft sends `event: ping` after ten quiet seconds; too slow to wait for here, so the reader is
  // fed the wire format directly
  const wire = Buffer.from('event: ping\n\n'
    + 'data: {"event":"message","answer":"Hel"}\n\n'
    + 'event: ping\n\n'
    + 'data: {"event":"message","answer":"lo, w\u00e9\u00e9"}\r\n\r\n'
    + 'data: {"event":"message_end","id":"m"}\n\n');
  const pieces = [];
  for (let i = 0; i < wire.length; i += 7) {
    pieces.push(wire.subarray(i, i + 7));
  }
  const stream = await readSse(Readable.from(pieces, { objectMode: false }));
  assert.equal(stream.pings, 2);
  assert.deepEqual(stream.names, ['message', 'message', 'message_end']);
  assert.equal(answerOf(stream), 'Hello, w\u00e9\u00e9');
});
