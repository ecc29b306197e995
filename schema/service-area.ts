import { SERVICE_AREAS } from '../server/domain/service-areas.js';
import { builder } from './builder.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';

export const ServiceAreaEnum = builder.enumType('ServiceArea', {
  description: 'The one service-area taxonomy used by every record, filter and subscription',
  values: Object.fromEntries(
    SERVICE_AREAS.map((area) => [area.code.toUpperCase(), { value: area.code, description: area.name }]),
  ) as Record<Uppercase<(typeof SERVICE_AREAS)[number]['code']>, { value: (typeof SERVICE_AREAS)[number]['code']; description: string }>,
});

const ServiceAreaInfo = builder.objectRef<(typeof SERVICE_AREAS)[number]>('ServiceAreaInfo').implement({
  description: 'A service area, with its name and where it sits in the LGA standard lists',
  fields: (t) => ({
    code: t.field({ type: ServiceAreaEnum, description: 'The value filters and records use', resolve: (a) => a.code }),
    name: t.exposeString('name', { description: 'Its name in words, e.g. `Adult social care`' }),
    esdFunction: t.exposeString('esdFunction', { description: "The matching function in the LGA's esd standard lists" }),
  }),
});

builder.queryField('serviceAreas', (t) =>
  t.field({
    type: [ServiceAreaInfo],
    extensions: listCap(LIST_CAPS.serviceAreas),
    description: 'Every service area, in the order councils usually list them',
    resolve: () => [...SERVICE_AREAS],
  }),
);
