import { describe, expect, it } from 'vitest';
import { explainForbidden } from '../../../src/auth/forbidden.js';

describe('explainForbidden', () => {
  it('names the policy for each operation, its default role and the Zed fallback', () => {
    expect(explainForbidden('list', 'glance02', '')).toBe(
      "glance02: forbidden: policy cache_list (default: role:admin; manage_image_cache on Zed and older) denied this token; use an admin user or adjust glance's policy",
    );
    expect(explainForbidden('queue', 'g1', '')).toContain('policy cache_image ');
    expect(explainForbidden('delete', 'g1', '')).toContain('policy cache_delete ');
  });

  it("keeps glance's own reason", () => {
    expect(explainForbidden('delete', 'glance03', 'HTTP 403: Access was denied to this resource.')).toBe(
      "glance03: forbidden: policy cache_delete (default: role:admin; manage_image_cache on Zed and older) denied this token (glance said: HTTP 403: Access was denied to this resource.); use an admin user or adjust glance's policy",
    );
  });
});
