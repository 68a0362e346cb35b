import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';

const root = path.resolve(__dirname, '..');
/** @nestjs/swagger's metadata key of @ApiResponse and its kin (DECORATORS.API_RESPONSE; not exported). */
const API_RESPONSE = 'swagger/apiResponse';

const controllers = (): string[] =>
  (readdirSync(path.join(root, 'services'), { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.includes(`${path.sep}src${path.sep}`) && f.endsWith('.controller.ts'))
    .map((f) => path.join('services', f));

/**
 * What every handler of the four services answers on success, against what its OpenAPI entry
 * documents: a POST answers 201 unless it says @HttpCode(200), every other method 200; the
 * documented 2xx responses must be exactly that one.
 */
describe('the OpenAPI documents give each operation the success status it answers', () => {
  const files = controllers();
  const handlers: { name: string; answers: number; documented: number[] }[] = [];
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- every controller, loaded as data
    const mod: Record<string, unknown> = require(path.join(root, file));
    for (const cls of Object.values(mod)) {
      if (typeof cls !== 'function' || Reflect.getMetadata(PATH_METADATA, cls) === undefined) continue;
      const proto = (cls as { prototype: Record<string, unknown> }).prototype;
      for (const key of Object.getOwnPropertyNames(proto)) {
        const fn = proto[key];
        if (typeof fn !== 'function' || key === 'constructor') continue;
        const method: RequestMethod | undefined = Reflect.getMetadata(METHOD_METADATA, fn);
        if (method === undefined) continue;
        const code: number | undefined = Reflect.getMetadata(HTTP_CODE_METADATA, fn);
        const answers = code ?? (method === RequestMethod.POST ? 201 : 200);
        const responses: Record<string, unknown> = Reflect.getMetadata(API_RESPONSE, fn) ?? {};
        const documented = Object.keys(responses)
          .map(Number)
          .filter((s) => s >= 200 && s < 300);
        handlers.push({ name: `${path.basename(file)} ${cls.name}.${key}`, answers, documented });
      }
    }
  }

  it('finds the handlers of all four services', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
    expect(handlers.length).toBeGreaterThanOrEqual(90);
  });

  it('documents the status each handler answers, and no other success', () => {
    const wrong = handlers
      .filter((h) => !(h.documented.length === 1 && h.documented[0] === h.answers))
      .map((h) => `${h.name}: answers ${h.answers}, documents ${h.documented.join(', ') || 'nothing'}`);
    expect(wrong).toEqual([]);
  });
});
