/**
 * What a simulated node sends back, in the formats real Glance uses (seen on Glance 25.1): webob error
 * bodies chosen by the Accept header (none: plain text, `*\/*` or text/html: HTML, application/json: JSON),
 * and a proxy's bare error page.
 */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** webob's default explanations, used when Glance raises a bare HTTP exception. */
const EXPLANATIONS: Record<number, string> = {
  401: 'This server could not verify that you are authorized to access the document you requested. Either you supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply the credentials required.',
  400: 'The server could not comply with the request since it is either malformed or otherwise incorrect.',
  403: 'Access was denied to this resource.',
  404: 'The resource could not be found.',
  405: 'The method is not allowed for this resource.',
  500: 'The server has either erred or is incapable of performing the requested operation.',
  502: 'Bad gateway.',
  503: 'The server is currently unavailable. Please try again at a later time.',
  504: 'The gateway has timed out.',
};

const JSON_TYPE = 'application/json';
const HTML_TYPE = 'text/html; charset=UTF-8';

export function jsonReply(status: number, body: Buffer | string | object): Reply {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return { status, headers: { 'content-type': JSON_TYPE }, body: bytes };
}

/** A success without a body: webob still names its default type (seen on 202 and 204). */
export function emptyReply(status: number): Reply {
  return { status, headers: { 'content-type': HTML_TYPE }, body: Buffer.alloc(0) };
}

/** webob answers an error to HEAD without a body, and so as text/html whatever was asked for (seen: 401, 404, 405). */
export function forHead(reply: Reply): Reply {
  if (reply.status < 400) return reply;
  return { status: reply.status, headers: { ...reply.headers, 'content-type': HTML_TYPE }, body: Buffer.alloc(0) };
}

/** A text/plain answer, as the healthcheck middleware sends "OK". */
export function plainReply(status: number, text: string): Reply {
  return textReply(status, 'text/plain', text);
}

export function statusLine(status: number): string {
  return `${status} ${TITLES[status] ?? 'Error'}`;
}

/** A webob HTTP exception as Glance renders it, chosen by the request's Accept header. */
export function glanceError(status: number, accept: string | undefined, explanation = EXPLANATIONS[status] ?? ''): Reply {
  return webobError(status, accept, explanation, '<br /><br />\n\n\n');
}

/** keystonemiddleware's refusal of a missing or invalid token, which says where to get one. */
export function unauthorized(accept: string | undefined, keystoneUrl: string): Reply {
  const reply = glanceError(401, accept);
  reply.headers['www-authenticate'] = `Keystone uri="${keystoneUrl}"`;
  return reply;
}

/** The router's 405, whose webob template differs from the other errors. */
export function methodNotAllowed(method: string, allow: string, accept: string | undefined): Reply {
  const reply = webobError(405, accept, `The method ${method} is not allowed for this resource. `, '<br /><br />\n');
  reply.headers.allow = allow;
  return reply;
}

/** webob renders one message three ways; `tail` is what its body template puts after the explanation. */
function webobError(status: number, accept: string | undefined, explanation: string, tail: string): Reply {
  const line = statusLine(status);
  switch (preferredFormat(accept)) {
    case 'json':
      return jsonReply(status, { message: `${explanation}${tail}`, code: line, title: TITLES[status] ?? 'Error' });
    case 'html':
      return textReply(status, 'text/html', `<html>\n <head>\n  <title>${line}</title>\n </head>\n <body>\n  <h1>${line}</h1>\n  ${escapeHtml(explanation)}${tail}\n </body>\n</html>`);
    case 'plain':
      return textReply(status, 'text/plain', `${line}\n\n${stripTags(`${explanation}${tail}`)}`);
  }
}

/** What a load balancer or proxy in front of a dead node sends: HTML, whatever was asked for. */
export function proxyErrorPage(status: number): Reply {
  const line = statusLine(status);
  return textReply(status, 'text/html', `<html>\r\n<head><title>${line}</title></head>\r\n<body>\r\n<center><h1>${line}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`);
}

function textReply(status: number, type: string, text: string): Reply {
  return { status, headers: { 'content-type': `${type}; charset=UTF-8` }, body: Buffer.from(text) };
}

/** webob's strip_tags: newlines become spaces, then each <br /> a newline, other tags nothing. */
function stripTags(html: string): string {
  return html.replace(/\n/g, ' ').replace(/\r/g, '').replace(/<br\s*\/?>/gi, '\n').replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, '');
}

/**
 * webob offers text/html then application/json; Glance reads a missing Accept as an empty one, which
 * accepts neither, so a bare request gets plain text (seen).
 */
function preferredFormat(accept: string | undefined): 'html' | 'json' | 'plain' {
  if (accept === undefined || accept.trim() === '') return 'plain';
  const ranges = accept.split(',').map((part) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return { type: type.trim(), q: q ? Number(q.slice(2)) : 1 };
  });
  const quality = (offer: string) =>
    Math.max(0, ...ranges.filter((range) => range.type === offer || range.type === '*/*' || range.type === `${offer.split('/')[0]}/*`).map((range) => range.q));
  const html = quality('text/html');
  const json = quality(JSON_TYPE);
  if (html <= 0 && json <= 0) return 'plain';
  return json > html ? 'json' : 'html';
}

/** Python's html.escape, which webob uses: quotes too. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
}
