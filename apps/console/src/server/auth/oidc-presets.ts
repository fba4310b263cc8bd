/**
 * Identity-provider presets. A preset only adjusts conventions: where the issuer
 * lives, which scopes to ask for, which claim carries groups and which claims may
 * carry the e-mail address. Everything else is standard OpenID Connect.
 */
export const oidcPresetNames = ["generic", "okta", "entra", "keycloak", "zitadel", "google"] as const;
export type OidcPresetName = (typeof oidcPresetNames)[number];

interface OidcPreset {
  displayName: string;
  scopes: string;
  groupsClaim: string;
  /** Claims tried in order for the user's e-mail address. */
  emailClaims: readonly string[];
  /** Builds the issuer when OIDC_ISSUER is not set, or says what is missing. */
  defaultIssuer?: (input: OidcInput) => string | undefined;
  issuerHint: string;
}

const presets: Record<OidcPresetName, OidcPreset> = {
  generic: {
    displayName: "Single sign-on",
    scopes: "openid email profile",
    groupsClaim: "groups",
    emailClaims: ["email"],
    issuerHint: "set OIDC_ISSUER to the provider's issuer URL",
  },
  okta: {
    displayName: "Okta",
    // The `groups` scope makes Okta's org and custom authorization servers emit the claim.
    scopes: "openid email profile groups",
    groupsClaim: "groups",
    emailClaims: ["email"],
    issuerHint: "set OIDC_ISSUER, e.g. https://<org>.okta.com or https://<org>.okta.com/oauth2/default",
  },
  entra: {
    displayName: "Microsoft Entra ID",
    scopes: "openid email profile",
    // Object ids of the groups, once "groupMembershipClaims" is enabled on the app registration.
    groupsClaim: "groups",
    // Entra omits `email` for accounts without a mailbox; the UPN is the stable fallback.
    emailClaims: ["email", "preferred_username", "upn"],
    defaultIssuer: (i) => (i.tenantId ? `https://login.microsoftonline.com/${i.tenantId}/v2.0` : undefined),
    issuerHint: "set OIDC_TENANT_ID (or OIDC_ISSUER=https://login.microsoftonline.com/<tenant>/v2.0)",
  },
  keycloak: {
    displayName: "Keycloak",
    scopes: "openid email profile",
    // Needs a "Group Membership" mapper on the client scope (claim name `groups`).
    groupsClaim: "groups",
    emailClaims: ["email"],
    issuerHint: "set OIDC_ISSUER=https://<host>/realms/<realm>",
  },
  zitadel: {
    displayName: "ZITADEL",
    scopes: "openid email profile urn:zitadel:iam:org:project:roles",
    // An object keyed by project role; extractGroups() takes its keys.
    groupsClaim: "urn:zitadel:iam:org:project:roles",
    emailClaims: ["email"],
    issuerHint: "set OIDC_ISSUER=https://<instance>.zitadel.cloud (or your domain)",
  },
  google: {
    displayName: "Google",
    // Google puts no groups in its tokens; mappings then match nothing and roles are granted in the console.
    scopes: "openid email profile",
    groupsClaim: "groups",
    emailClaims: ["email"],
    defaultIssuer: () => "https://accounts.google.com",
    issuerHint: "OIDC_ISSUER defaults to https://accounts.google.com",
  },
};

export interface OidcInput {
  preset: OidcPresetName;
  issuer?: string | undefined;
  tenantId?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  groupsClaim?: string | undefined;
  scopes?: string | undefined;
  displayName?: string | undefined;
}

export interface OidcConfig {
  preset: OidcPresetName;
  issuer: string;
  wellKnown: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  groupsClaim: string;
  emailClaims: readonly string[];
  displayName: string;
}

/**
 * The resolved SSO configuration, `null` when SSO is not configured (no client id),
 * or an error message naming what is missing.
 */
export function resolveOidcConfig(input: OidcInput): OidcConfig | null | { error: string } {
  if (!input.clientId || !input.clientSecret) return null;
  const preset = presets[input.preset];
  const rawIssuer = input.issuer ?? preset.defaultIssuer?.(input);
  if (!rawIssuer) return { error: `OIDC_PRESET=${input.preset}: ${preset.issuerHint}` };
  // next-auth compares the issuer byte for byte; a trailing slash breaks the well-known lookup.
  const issuer = rawIssuer.replace(/\/+$/, "");
  return {
    preset: input.preset,
    issuer,
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    scopes: input.scopes ?? preset.scopes,
    groupsClaim: input.groupsClaim ?? preset.groupsClaim,
    emailClaims: preset.emailClaims,
    displayName: input.displayName ?? preset.displayName,
  };
}
