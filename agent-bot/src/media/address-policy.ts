// The address and origin rules live with the shared fetcher (core/src/http/address-policy.ts).
export { isPrivateAddress, originAllowed } from '@switchboard/core';
