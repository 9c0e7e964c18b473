import { installedPackageVersion } from '@switchboard/core';

/**
 * The installed @pydantic/genai-prices version, recorded with every cost it priced (its data
 * is bundled, so the package version identifies the prices).
 */
export const GENAI_PRICES_VERSION: string = installedPackageVersion(
  '@pydantic/genai-prices',
  import.meta.url,
);
