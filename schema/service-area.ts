import { functionsOf, SERVICE_AREAS } from '../server/domain/service-areas.js';
import { ESD_FUNCTIONS_LIST, type EsdFunction } from '../server/domain/esd-functions.js';
import { builder } from './builder.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';

export const ServiceAreaEnum = builder.enumType('ServiceArea', {
  description: 'The one service-area taxonomy used by every record, filter and subscription',
  values: Object.fromEntries(
    SERVICE_AREAS.map((area) => [area.code.toUpperCase(), { value: area.code, description: area.name }]),
  ) as Record<Uppercase<(typeof SERVICE_AREAS)[number]['code']>, { value: (typeof SERVICE_AREAS)[number]['code']; description: string }>,
});

const EsdFunctionRef = builder.objectRef<EsdFunction>('EsdFunction').implement({
  description: `An entry of the LGA (LG Inform Plus, formerly esd-toolkit) Functions list of the Local Government Business Model, ${ESD_FUNCTIONS_LIST} (Open Government Licence)`,
  fields: (t) => ({
    identifier: t.exposeString('id', { description: 'Its identifier in the list, e.g. `59` (the list\'s own name for it; not a node id)' }),
    label: t.exposeString('label', { description: 'Its label in the list, e.g. `Adult services`' }),
    uri: t.exposeString('uri', { description: 'Its linked-data URI, e.g. `http://id.esd.org.uk/function/59`' }),
  }),
});

const ServiceAreaInfo = builder.objectRef<(typeof SERVICE_AREAS)[number]>('ServiceAreaInfo').implement({
  description: 'A service area, with its name and where it sits in the LGA standard lists',
  fields: (t) => ({
    code: t.field({ type: ServiceAreaEnum, description: 'The value filters and records use', resolve: (a) => a.code }),
    name: t.exposeString('name', { description: 'Its name in words, e.g. `Adult social care`' }),
    esdFunction: t.exposeString('esdFunction', { description: "The matching function in the LGA's esd standard lists, in words (see `functions` for identifiers)" }),
    functions: t.field({
      type: [EsdFunctionRef],
      extensions: listCap(LIST_CAPS.esdFunctions),
      description: `The matching entries of the LGA Functions list, most specific first (at most ${LIST_CAPS.esdFunctions}); empty where none matches well`,
      resolve: (a) => [...functionsOf(a.code)],
    }),
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
