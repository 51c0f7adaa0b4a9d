/** Follows EC2's NextToken until the last page; every Describe the product makes goes through here. */
export async function allPages<Page extends { NextToken?: string }, Item>(
  fetchPage: (NextToken: string | undefined) => Promise<Page>,
  itemsOf: (page: Page) => readonly Item[] | undefined,
): Promise<Item[]> {
  const items: Item[] = [];
  let NextToken: string | undefined;
  do {
    const page = await fetchPage(NextToken);
    items.push(...(itemsOf(page) ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return items;
}

/** The largest page EC2 serves. */
export const EC2_PAGE_SIZE = 1000;
