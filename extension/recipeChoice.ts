// Which recipe (models/vqvae/recipes.ts) a training folder looks like, from its scans' file names:
// FLAIR or T2 volumes get flair-brain, a folder of 2D images only gets industrial-texture, anything
// else (T1, other volumes, a mix) none. The user's explicit settings always win (settings.ts withRecipe).
import { isMaskFile } from '../models/io/maskConventions';
import { modalityOf } from '../models/scoring/modality';
import type { RecipeName } from '../models/vqvae/recipes';

const VOLUME = /\.nii(\.gz)?$/i;
const IMAGE = /\.(png|jpe?g)$/i;

export function recipeForFiles(allFiles: readonly string[]): RecipeName | undefined {
  const names = new Set(allFiles.map((f) => f.replace(/\\/g, '/').split('/').pop() ?? ''));
  const files = allFiles.filter((f) => !isMaskFile(f, names)); // ground truth is no scan
  const volumes = files.filter((f) => VOLUME.test(f));
  const images = files.filter((f) => IMAGE.test(f));
  if (volumes.length > 0) {
    const hyperintense = volumes.filter((f) => ['flair', 't2'].includes(modalityOf(f, 2)));
    return hyperintense.length * 2 > volumes.length && images.length === 0 ? 'flair-brain' : undefined;
  }
  return images.length > 0 ? 'industrial-texture' : undefined;
}
