export * from "./record";
export * from "./syslog";
export * from "./splunk-hec";
export * from "./otlp";
export * from "./webhook-signature";
