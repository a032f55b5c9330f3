// What the tests share: the settings ServiceClientsIT passes in, and a reader of Dify's SSE.

/** An environment variable ServiceClientsIT sets; a clear failure when the test runs on its own. */
export function setting(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: these tests run from ServiceClientsIT against a started distribution`);
  }
  return value;
}

/**
 * The events of a Dify SSE stream (a Node readable, as axios gives it with responseType "stream"):
 * blocks of `data: {json}` lines; blocks with only `event: ping` are keep-alives, counted apart.
 */
export async function readSse(stream) {
  const events = [];
  let pings = 0;
  let buffer = '';
  const take = (block) => {
    const data = [];
    let event = null;
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      } else if (line.startsWith('event:')) {
        event = line.slice(6).trim();
      } else if (line !== '' && !line.startsWith(':')) {
        throw new Error(`not an SSE line: ${JSON.stringify(line)}`);
      }
    }
    if (data.length > 0) {
      events.push(JSON.parse(data.join('\n')));
    } else if (event === 'ping') {
      pings++;
    } else if (event !== null) {
      throw new Error(`an SSE block without data: ${JSON.stringify(block)}`);
    }
  };
  stream.setEncoding('utf8');
  for await (const chunk of stream) {
    buffer += chunk;
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const separator = buffer.slice(end).match(/^\r?\n\r?\n/)[0];
      take(buffer.slice(0, end));
      buffer = buffer.slice(end + separator.length);
    }
  }
  if (buffer.trim() !== '') {
    take(buffer);
  }
  return { events, pings, names: events.map((e) => e.event) };
}
