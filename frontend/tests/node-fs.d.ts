// The one Node API the tests use (the project has no @types/node): reading a source file as text.
declare module 'node:fs' {
  export function readFileSync(path: URL | string, encoding: 'utf8'): string;
}
