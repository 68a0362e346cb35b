import { createDataSource } from '../db/data-source';
import { PiiCipher } from '../security/pii-cipher';
import { countStalePersonalData, sealTicketPersonalData } from '../security/pii-rotation';

/**
 * npm run rotate-pii-keys [-- --batch-size N] [--reindex]
 *
 * Re-encrypts every ticket's personal data under the active key (the first of HOTLINE_PII_KEYS),
 * encrypting any plaintext left, in batches of one transaction each, with progress. When it ends
 * with "0 left", the older keys may be removed from HOTLINE_PII_KEYS. `--reindex` recomputes every
 * phone's blind index (after HOTLINE_PII_INDEX_KEY changed). Needs only DATABASE_URL and the keys.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sizeArg = args.indexOf('--batch-size');
  const batchSize = sizeArg >= 0 ? Number(args[sizeArg + 1]) : 500;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error('--batch-size must be a positive integer');
  const databaseUrl = process.env.DATABASE_URL?.trim();
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  const cipher = PiiCipher.fromEnv(process.env);
  const ds = await createDataSource(databaseUrl, {
    poolSize: 2,
    applicationName: 'hotline-rotate-pii',
  }).initialize();
  try {
    console.log(
      `rotate-pii-keys: active key "${cipher.activeKid}", also reading: ${cipher.kids.slice(1).join(', ') || '(none)'}`,
    );
    const { updated } = await sealTicketPersonalData(ds, cipher, {
      batchSize,
      reindex: args.includes('--reindex'),
      onProgress: (done, total) => console.log(`rotate-pii-keys: ${done}/${total} tickets`),
    });
    const left = await countStalePersonalData(ds, cipher);
    console.log(
      `rotate-pii-keys: ${updated} ticket(s) rewritten, ${left} left under another key or in plaintext` +
        (left === 0 && cipher.kids.length > 1
          ? `; the keys ${cipher.kids.slice(1).join(', ')} may now be removed`
          : ''),
    );
    if (left > 0) process.exitCode = 2;
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(`rotate-pii-keys: ${(err as Error).message}`);
  process.exit(1);
});
