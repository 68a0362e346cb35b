import { Client, Connection } from '@temporalio/client';
import type { PlatformConfig } from '@hotline/shared';

export async function createTemporalClient(
  config: Pick<PlatformConfig, 'temporalAddress' | 'temporalNamespace'>,
): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporalAddress });
  return new Client({ connection, namespace: config.temporalNamespace });
}
