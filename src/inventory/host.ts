/**
 * Host names and IP addresses as inventories write them: what may become the host of a node's URL.
 * An address from another tool's file is checked too: `ansible_host="$(reboot)"` is no host. Pure.
 */
import { isIP, isIPv6 } from 'node:net';

const HOST_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

/** A host name or an IPv4/IPv6 address (without brackets). Zone IDs ("fe80::1%eth0") make no URL. */
export function isHostAddress(text: string): boolean {
  return HOST_NAME.test(text) || (isIP(text) !== 0 && !text.includes('%'));
}

/** An IPv6 address, which a URL writes in brackets. */
export function isIPv6Address(text: string): boolean {
  return isIPv6(text) && !text.includes('%');
}

/**
 * "host", "host:port", "10.0.0.1:9393", "[fe80::1]", "[fe80::1]:9393" or a bare "fe80::1" (no port: its
 * last group could be one) to the host, without brackets, and the port as written. Undefined otherwise.
 */
export function splitHostPort(text: string): { host: string; port?: string | undefined } | undefined {
  if (isIPv6Address(text)) return { host: text };
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return isIPv6Address(bracketed[1]!) ? { host: bracketed[1]!, port: bracketed[2] } : undefined;
  const plain = /^([^:]+)(?::(\d+))?$/.exec(text);
  return plain && isHostAddress(plain[1]!) ? { host: plain[1]!, port: plain[2] } : undefined;
}

/** How a URL writes the host: IPv6 in brackets. */
export function urlHost(host: string): string {
  return isIPv6Address(host) ? `[${host}]` : host;
}
