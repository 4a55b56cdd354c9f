import { describe, expectTypeOf, it } from 'vitest';
import type {
  AppInfo,
  DnaLmApi,
  Invoke,
  InvokeChannel,
  InvokeMap,
  JobDto,
  ProjectSummary,
  RequestOf,
  ResponseOf,
  createApi,
} from '../../../src-shared/api';
import type { AppService } from '../../../src-main/service/app-service';

describe('the IPC contract', () => {
  it('maps every channel constant to a request/response pair', () => {
    expectTypeOf<keyof InvokeMap>().toEqualTypeOf<InvokeChannel>();
    expectTypeOf<ResponseOf<typeof Invoke.projectCreate>>().toEqualTypeOf<ProjectSummary>();
    expectTypeOf<RequestOf<typeof Invoke.projectOpen>>().toEqualTypeOf<{ path: string }>();
    expectTypeOf<ResponseOf<typeof Invoke.appInfo>>().toEqualTypeOf<AppInfo>();
  });

  it('gives the renderer typed methods, not a generic invoke', () => {
    expectTypeOf<ReturnType<typeof createApi>>().toEqualTypeOf<DnaLmApi>();
    expectTypeOf<DnaLmApi['project']['create']>().returns.resolves.toEqualTypeOf<ProjectSummary>();
    expectTypeOf<DnaLmApi['jobs']['cancel']>().parameters.toEqualTypeOf<[id: number]>();
    expectTypeOf<DnaLmApi['jobs']['onUpdate']>().parameter(0).parameter(0).toEqualTypeOf<JobDto>();
    expectTypeOf<DnaLmApi>().not.toHaveProperty('invoke');
  });

  it('lets the service be called with exactly the contract types', () => {
    expectTypeOf<AppService['call']>()
      .parameter(0)
      .toEqualTypeOf<InvokeChannel>();
    const service = null as unknown as AppService;
    expectTypeOf(service.call<typeof Invoke.jobsStart>).returns.resolves.toEqualTypeOf<JobDto>();
    expectTypeOf(service.call<typeof Invoke.jobsStart>).parameter(1).toEqualTypeOf<RequestOf<typeof Invoke.jobsStart>>();
  });
});
