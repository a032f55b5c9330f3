// The official OpenAI Node.js SDK (npm openai) against Weft's OpenAI-compatible endpoint (/v1/openai):
// the app is the model, the app's API key the bearer token. Run by ServiceClientsIT.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { setting } from './weft.mjs';

const BASE_URL = `${setting('WEFT_BASE_URL')}/v1/openai`;
const ANSWER = setting('WEFT_FAKE_ANSWER');
const APP_ID = setting('WEFT_CHAT_APP_ID');
const USER = `openai-user-${process.pid}`;

const client = new OpenAI({ baseURL: BASE_URL, apiKey: setting('WEFT_CHAT_KEY'), maxRetries: 0, timeout: 60_000 });

describe('openai (the official OpenAI SDK) on /v1/openai', () => {
  test('models.list names the app', async () => {
    const models = await client.models.list();
    const ids = models.data.map((m) => m.id);
    assert.deepEqual(ids, [APP_ID]);
    assert.equal(models.data[0].object, 'model');
    const all = [];
    for await (const model of client.models.list()) {
      all.push(model.id);
    }
    assert.deepEqual(all, [APP_ID]);
  });

  test('chat.completions.create answers with the app\'s text', async () => {
    const completion = await client.chat.completions.create({
      model: APP_ID,
      messages: [{ role: 'user', content: 'Hello from the openai client' }],
      user: USER,
    });
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.model, APP_ID);
    assert.equal(completion.choices.length, 1);
    assert.equal(completion.choices[0].message.role, 'assistant');
    assert.equal(completion.choices[0].message.content, ANSWER);
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.equal(typeof completion.usage.total_tokens, 'number');
  });

  test('chat.completions.create with stream: true yields deltas of the text', async () => {
    const stream = await client.chat.completions.create({
      model: APP_ID,
      messages: [{ role: 'user', content: 'Stream to the openai client' }],
      stream: true,
      stream_options: { include_usage: true },
      user: USER,
    });
    let text = '';
    const chunks = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta?.content ?? '';
    }
    assert.equal(text, ANSWER);
    assert.ok(chunks.filter((c) => c.choices[0]?.delta?.content).length > 1, `several deltas: ${JSON.stringify(chunks)}`);
    for (const chunk of chunks) {
      assert.equal(chunk.object, 'chat.completion.chunk');
      assert.equal(chunk.id, chunks[0].id);
    }
    assert.ok(chunks.some((c) => c.choices[0]?.finish_reason === 'stop'), 'a chunk finishes the choice');
    assert.equal(typeof chunks.at(-1).usage?.total_tokens, 'number', 'the usage chunk comes last');
  });

  test('the app\'s name is a model name too, and earlier messages are the history', async () => {
    const completion = await client.chat.completions.create({
      model: setting('WEFT_CHAT_APP_NAME'),
      messages: [
        { role: 'system', content: 'ignored: the app sets its own prompt' },
        { role: 'user', content: 'openai first turn' },
        { role: 'assistant', content: 'an earlier answer' },
        { role: 'user', content: [{ type: 'text', text: 'openai second turn' }] },
      ],
      user: USER,
    });
    assert.equal(completion.choices[0].message.content, ANSWER);
  });

  test('a wrong key is an AuthenticationError (401)', async () => {
    const wrong = new OpenAI({ baseURL: BASE_URL, apiKey: 'app-this-key-does-not-exist', maxRetries: 0 });
    await assert.rejects(wrong.models.list(), (error) => {
      assert.ok(error instanceof OpenAI.AuthenticationError, `${error?.constructor?.name}: ${error}`);
      assert.equal(error.status, 401);
      assert.equal(typeof error.error?.message, 'string', `an OpenAI error body: ${JSON.stringify(error.error)}`);
      return true;
    });
  });

  test('a wrong model is a NotFoundError (404)', async () => {
    await assert.rejects(client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
    }), (error) => {
      assert.ok(error instanceof OpenAI.NotFoundError, `${error?.constructor?.name}: ${error}`);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'model_not_found');
      assert.match(error.message, /gpt-4o/);
      return true;
    });
  });
});
