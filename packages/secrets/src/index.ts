export { encryptSecret, decryptSecret } from "./envelope";
export { createSecretResolver, SecretResolutionError, type SecretResolver, type SecretResolverOptions } from "./resolver";
