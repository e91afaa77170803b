export * from './validation-limits.js';
export * from './parse-options.js';
export * from './parse-arguments.js';
export { decodeInput, describeFailure, inputError, type InputFailure } from './report.js';
export { objectCodec, type ObjectRules } from './object-codec.js';
export { fieldPath } from './field-path.js';
export { coded, codecFromValidate, oneOf } from './coded-codec.js';
export { booleanCodec, idCodec, labelCodec, nonNegativeIntegerCodec } from './scalar-codecs.js';
export { metadataCodec, payloadCodec } from './json-codec.js';
