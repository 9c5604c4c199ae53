/** asl-validator ships no types; this is the part of its API the tests call. */
declare module 'asl-validator' {
  interface ValidationResult {
    readonly isValid: boolean;
    readonly errors: readonly { readonly message?: string; readonly path?: string }[];
    readonly errorsText: (separator?: string) => string;
  }
  function aslValidator(
    definition: unknown,
    options?: { readonly checkPaths?: boolean; readonly checkArn?: boolean },
  ): ValidationResult;
  export default aslValidator;
}
