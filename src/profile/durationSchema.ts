import { z } from 'zod';
import { DURATION_PATTERN } from './duration.js';

export const DURATION_EXPECTED = 'expected a duration such as "500ms", "10s", "2m" or "1m30s"';

/** A duration string such as "60s", "500ms", "2m", "1m30s" (a regex, so editors check it via the JSON Schema). */
export const durationSchema = z
  .string({ error: DURATION_EXPECTED })
  .regex(DURATION_PATTERN, { message: DURATION_EXPECTED })
  .meta({ description: 'Duration: a number followed by ms, s, m or h, e.g. "60s", "1m30s".' });
