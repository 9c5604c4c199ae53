import { Problem } from '../../schemas/records.js';

/** A non-2xx answer from the service, carrying its problem+json body. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  /** Stable error code, e.g. ALIAS.REVISION_CONFLICT. */
  get code(): string {
    return this.problem.code;
  }

  /** Builds the error from any response; bodies that are not problem+json still get a code. */
  static async fromResponse(response: Response): Promise<ApiError> {
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const parsed = Problem.safeParse(body);
    if (parsed.success) return new ApiError(parsed.data);
    return new ApiError({
      type: 'about:blank',
      title: response.statusText || `HTTP ${response.status}`,
      status: response.status,
      code: `HTTP.${response.status}`,
      ...(text ? { detail: text.slice(0, 500) } : {}),
    });
  }
}

/** The service answered 2xx but with a body that doesn't match the shared schema. */
export class ResponseShapeError extends Error {
  readonly code = 'CLIENT.BAD_RESPONSE';

  constructor(path: string, message: string) {
    super(`unexpected response from ${path}: ${message}`);
    this.name = 'ResponseShapeError';
  }
}
