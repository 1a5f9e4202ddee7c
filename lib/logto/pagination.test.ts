import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createManagementClient } from './client';
import { LogtoApiError } from './errors';
import { listOrganizationMembers } from './members';
import { listOrganizations } from './organizations';
import { fetchAllPages, iteratePages, type Page } from './pagination';
import { fakeOrganization, startTestServer, testClientOptions, type TestServer } from './test-server';

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  await server.close();
});

const organizations = Array.from({ length: 45 }, (_, index) => fakeOrganization(`org${index + 1}`));

/** Serves `organizations` paginated like Logto: `page`, `page_size`, `Total-Number`. */
function servePaginatedOrganizations() {
  server.handle(({ query }) => {
    const page = Number(query.get('page') ?? 1);
    const pageSize = Number(query.get('page_size') ?? 20);
    return {
      json: organizations.slice((page - 1) * pageSize, page * pageSize),
      headers: { 'Total-Number': String(organizations.length) },
    };
  });
}

describe('list pages', () => {
  it('returns rows with the total from Total-Number and the requested page', async () => {
    servePaginatedOrganizations();
    const client = createManagementClient(testClientOptions(server));
    const page = await listOrganizations({ page: 3, pageSize: 20, q: 'org' }, client);
    expect(page).toMatchObject({ total: 45, page: 3, pageSize: 20 });
    expect(page.rows.map(({ id }) => id)).toEqual(['org41', 'org42', 'org43', 'org44', 'org45']);
    expect(server.apiRequests[0]!.query.toString()).toBe('page=3&page_size=20&q=org');

    await listOrganizations({ showFeatured: true }, client);
    expect(server.apiRequests[1]!.query.toString()).toBe('page=1&page_size=20&showFeatured=true');
  });

  it('throws instead of showing an empty table when Total-Number is missing', async () => {
    server.handle(() => ({ json: [] }));
    const client = createManagementClient(testClientOptions(server));
    const error = await listOrganizationMembers('org1', {}, client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LogtoApiError);
    expect(error).toMatchObject({ code: 'client.total_number_missing' });
  });
});

describe('fetchAllPages / iteratePages', () => {
  it('walks every page of 100 through a real client', async () => {
    servePaginatedOrganizations();
    const client = createManagementClient(testClientOptions(server));
    const all = await fetchAllPages(async (page, pageSize) => listOrganizations({ page, pageSize }, client));
    expect(all.map(({ id }) => id)).toEqual(organizations.map(({ id }) => id));
    expect(server.apiRequests.map((request) => request.query.get('page_size'))).toEqual(['100']);
  });

  it('streams page by page and stops at the total', async () => {
    const fetched: number[] = [];
    const fetchPage = async (page: number, pageSize: number): Promise<Page<number>> => {
      fetched.push(page);
      const rows = Array.from({ length: 25 }, (_, index) => index).slice(
        (page - 1) * pageSize,
        page * pageSize,
      );
      return { rows, total: 25, page, pageSize };
    };
    const pages: number[][] = [];
    for await (const rows of iteratePages(fetchPage, 10)) pages.push(rows);
    expect(pages.map((rows) => rows.length)).toEqual([10, 10, 5]);
    expect(fetched).toEqual([1, 2, 3]);

    // An exact multiple must not cost an extra empty request.
    fetched.length = 0;
    const exact = await fetchAllPages(async (page, pageSize) => {
      fetched.push(page);
      return { rows: page <= 2 ? [page, page] : [], total: 4, page, pageSize };
    }, 2);
    expect(exact).toEqual([1, 1, 2, 2]);
    expect(fetched).toEqual([1, 2]);
  });

  it('stops at a short page even if the total claims more (a list that shrank meanwhile)', async () => {
    const rows = await fetchAllPages(async (page, pageSize) => ({
      rows: page === 1 ? [1, 2, 3] : [],
      total: 1_000,
      page,
      pageSize,
    }));
    expect(rows).toEqual([1, 2, 3]);
  });
});
