export { signChatwootPayload, verifyChatwootSignature, constantTimeEqual } from './chatwoot-signature.js';
export type { ChatwootSignatureCheck, VerifyChatwootSignatureInput } from './chatwoot-signature.js';
