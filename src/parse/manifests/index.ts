export { checkFileBlock, checkManifests, isYamlFileBlock, type CheckManifestsOptions } from './check-manifests.ts';
export { findUnknownFields, replaceAt, toPointer, type FieldPath } from './find-unknown-fields.ts';
export { MODEL_PACKAGES, ModelRegistry, SCHEMA_KUBERNETES_VERSION, groupOf, type ModelLookup, type SchemaError, type ValidateObject } from './model-registry.ts';
export { REMOVED_APIS, findRemovedApi, type RemovedApi } from './removed-apis.ts';
export { formatPath, validateManifest, type ManifestIssue, type ManifestReport } from './validate-manifest.ts';
