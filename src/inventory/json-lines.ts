/**
 * Lines in JSON text, for error messages: JSON.parse gives values but no positions, and a YAML parser
 * that keeps positions takes half a second on a large openstack-ansible inventory. This scanner walks
 * the text without building values: to the value at a path, or to the first syntax error.
 */

class JsonSyntaxError extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at offset ${offset}`);
  }
}

const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

class Scanner {
  offset = 0;

  constructor(readonly text: string) {}

  space(): void {
    while (this.offset < this.text.length && ' \t\n\r'.includes(this.text[this.offset]!)) this.offset++;
  }

  peek(): string | undefined {
    return this.text[this.offset];
  }

  expect(char: string): void {
    if (this.text[this.offset] !== char) throw new JsonSyntaxError(this.offset);
    this.offset++;
    this.space();
  }

  token(pattern: RegExp): string {
    pattern.lastIndex = this.offset;
    const match = pattern.exec(this.text);
    if (!match) throw new JsonSyntaxError(this.offset);
    this.offset += match[0].length;
    this.space();
    return match[0];
  }

  key(): string {
    const key = JSON.parse(this.token(STRING)) as string;
    this.expect(':');
    return key;
  }

  /** Skips one value and the space after it. */
  value(): void {
    const char = this.peek();
    if (char === '{') {
      this.entries('}', () => {
        this.key();
        this.value();
      });
    } else if (char === '[') {
      this.entries(']', () => this.value());
    } else {
      this.token(char === '"' ? STRING : char === 't' || char === 'f' || char === 'n' ? LITERAL : NUMBER);
    }
  }

  /** The members of an object or array, comma-separated, up to `close`; `member` reads one. */
  entries(close: string, member: () => void): void {
    this.expect(this.peek()!);
    if (this.peek() === close) return this.expect(close);
    for (;;) {
      member();
      if (this.peek() !== ',') return this.expect(close);
      this.expect(',');
    }
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

/** The line of the first syntax error of text that JSON.parse refused. */
export function syntaxErrorLine(text: string): number {
  const scanner = new Scanner(text);
  try {
    scanner.space();
    scanner.value();
    if (scanner.offset < text.length) throw new JsonSyntaxError(scanner.offset);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return lineAt(text, error.offset);
    throw error;
  }
  return lineAt(text, text.length);
}

/** The line where the value at `path` starts in valid JSON text; undefined when nothing is there. */
export function lineOfPath(text: string, path: readonly (string | number)[]): number | undefined {
  const scanner = new Scanner(text);
  scanner.space();
  for (const step of path) {
    const open = scanner.peek();
    if (!(open === '{' && typeof step === 'string') && !(open === '[' && typeof step === 'number')) return undefined;
    scanner.expect(open);
    let index = 0;
    for (;;) {
      if (scanner.peek() === (open === '{' ? '}' : ']')) return undefined;
      if (open === '{' ? scanner.key() === step : index++ === step) break;
      scanner.value();
      if (scanner.peek() !== ',') return undefined;
      scanner.expect(',');
    }
  }
  return lineAt(text, scanner.offset);
}
