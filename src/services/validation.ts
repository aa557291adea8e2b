// Turning zod problems into one sentence for a person. Paths and messages only: never input values
// (an env value is a secret).
import type { z } from 'zod';

/** "gpuCount: at most 16 GPUs; imageName: give an image or a template" */
export function zodProblems(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
