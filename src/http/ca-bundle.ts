/**
 * A CA bundle must hold PEM certificates: Node takes anything as `ca` without a word, so a DER file, a
 * private key or a typo'd path to some other file would only surface later as every node failing TLS.
 */
import { X509Certificate } from 'node:crypto';

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Why `text` is not a PEM bundle of certificates; undefined when it is one. */
export function pemBundleProblem(text: string): string | undefined {
  const blocks = text.match(CERTIFICATE) ?? [];
  if (blocks.length === 0) return 'is not a PEM CA bundle: it holds no "-----BEGIN CERTIFICATE-----" block';
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      return `is not a PEM CA bundle: certificate ${index + 1} of ${blocks.length} cannot be read (${(error as Error).message})`;
    }
  }
  return undefined;
}
