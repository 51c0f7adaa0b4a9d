import { DescribeManagedPrefixListsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CLOUDFRONT_PREFIX_LISTS } from '../../lambda-src/core/exposure';
import { errorOf, startWorld, type World } from './fixtures';

describe('EC2 emulator: DescribeManagedPrefixLists', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(() => w.emu.close());

  const byName = (client: EC2Client, names: string[]) => client.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: names }] }));

  test("lists CloudFront's origin-facing lists, owned by AWS, by name", async () => {
    const { PrefixLists } = await byName(w.ec2, Object.values(CLOUDFRONT_PREFIX_LISTS));
    expect(PrefixLists).toEqual([
      expect.objectContaining({
        PrefixListName: CLOUDFRONT_PREFIX_LISTS.ipv4,
        PrefixListId: w.emu.managedPrefixListId(CLOUDFRONT_PREFIX_LISTS.ipv4),
        AddressFamily: 'IPv4',
        OwnerId: 'AWS',
        MaxEntries: 55,
        State: 'create-complete',
      }),
      expect.objectContaining({ PrefixListName: CLOUDFRONT_PREFIX_LISTS.ipv6, AddressFamily: 'IPv6', OwnerId: 'AWS', MaxEntries: 55 }),
    ]);
  });

  test('a list keeps its name across regions but not its id: the id follows the region the request is signed for', async () => {
    const elsewhere = new EC2Client({ endpoint: w.emu.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' } });
    const [there] = (await byName(elsewhere, [CLOUDFRONT_PREFIX_LISTS.ipv4])).PrefixLists!;
    elsewhere.destroy();
    expect(there.PrefixListId).toBe(w.emu.managedPrefixListId(CLOUDFRONT_PREFIX_LISTS.ipv4, 'us-east-1'));
    expect(there.PrefixListArn).toBe(`arn:aws:ec2:us-east-1:aws:prefix-list/${there.PrefixListId}`);
    expect(there.PrefixListId).not.toBe(w.emu.managedPrefixListId(CLOUDFRONT_PREFIX_LISTS.ipv4));
  });

  test('looks lists up by id and refuses an unknown or malformed id as EC2 does', async () => {
    const s3 = w.emu.managedPrefixListId(`com.amazonaws.${w.emu.region}.s3`);
    expect((await w.ec2.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: [s3] }))).PrefixLists!.map((l) => l.PrefixListName)).toEqual([`com.amazonaws.${w.emu.region}.s3`]);
    expect(await errorOf(w.ec2.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: ['pl-00000000'] })))).toMatchObject({ name: 'InvalidPrefixListID.NotFound' });
    expect(await errorOf(w.ec2.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: ['sg-00000000'] })))).toMatchObject({ name: 'InvalidPrefixListId.Malformed' });
  });

  test('pages with MaxResults 1..100 and refuses 101', async () => {
    const first = await w.ec2.send(new DescribeManagedPrefixListsCommand({ MaxResults: 1 }));
    expect(first.PrefixLists).toHaveLength(1);
    const rest = await w.ec2.send(new DescribeManagedPrefixListsCommand({ MaxResults: 100, NextToken: first.NextToken }));
    expect(rest.NextToken).toBeUndefined();
    expect([...first.PrefixLists!, ...rest.PrefixLists!].map((l) => l.PrefixListName)).toEqual([
      CLOUDFRONT_PREFIX_LISTS.ipv4,
      CLOUDFRONT_PREFIX_LISTS.ipv6,
      `com.amazonaws.${w.emu.region}.s3`,
      `com.amazonaws.${w.emu.region}.dynamodb`,
    ]);
    expect(await errorOf(w.ec2.send(new DescribeManagedPrefixListsCommand({ MaxResults: 101 })))).toMatchObject({ name: 'InvalidParameterValue' });
  });
});
