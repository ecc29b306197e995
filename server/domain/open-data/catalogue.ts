import { ADOPTIONS, SUPPORTS } from './activity-datasets.js';
import { CASE_STUDIES, PROBLEMS, SOLUTIONS } from './content-datasets.js';
import { COUNCILS } from './council-dataset.js';
import { fileStem, type OpenDataset } from './dataset.js';
import { LINKS } from './links-dataset.js';
import { SERVICE_AREA_FUNCTIONS } from './service-area-dataset.js';

/** Every open data file, in the order /data lists them. */
export const OPEN_DATASETS: readonly OpenDataset[] = [PROBLEMS, SOLUTIONS, CASE_STUDIES, COUNCILS, SUPPORTS, ADOPTIONS, LINKS, SERVICE_AREA_FUNCTIONS];

export type OpenDataFormat = 'csv' | 'jsonl' | 'schema';

export const FORMAT_EXTENSIONS: Record<OpenDataFormat, string> = { csv: '.csv', jsonl: '.jsonl', schema: '.schema.json' };

/** `problems-v1.csv` → the problems dataset as CSV; anything else → null. */
export function findOpenDataFile(fileName: string): { dataset: OpenDataset; format: OpenDataFormat } | null {
  for (const dataset of OPEN_DATASETS) {
    for (const format of Object.keys(FORMAT_EXTENSIONS) as OpenDataFormat[]) {
      if (fileName === fileStem(dataset) + FORMAT_EXTENSIONS[format]) return { dataset, format };
    }
  }
  return null;
}
