import "next-auth";

declare module "next-auth" {
  interface User {
    /** The ConsoleSession opened at sign-in; carried in the JWT so it can be revoked. */
    sid?: string;
  }
}
