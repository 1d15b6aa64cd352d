import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Clock } from '../event-sourcing/clock';
import { CLOCK } from '../event-store/event-store.module';
import { ACCESS_OPTIONS, resolveAccessOptions, type AccessModuleOptions, type AccessOptions } from './access-options';
import { IssueTokenHandler } from './issue-token/issue-token.command';
import { ListTokensHandler } from './list-tokens/list-tokens.query';
import { RevokeTokenHandler } from './revoke-token/revoke-token.command';
import { TokenAuthenticator } from './token-authenticator';
import { RateLimiter } from './token-bucket';
import { TokenGuard } from './token.guard';
import { TokensController } from './tokens.controller';
import { AcceptAnyUnit, UNIT_DIRECTORY } from './unit-directory';

/**
 * Access: API tokens as events (issue, revoke, list), the TokenGuard behind @Roles
 * (authentication, rate limit, roles) and its one cache and one set of rate buckets per process.
 * Global, so @Roles works on the controllers of every module.
 */
@Global()
@Module({})
export class AccessModule {
  /** Options left out come from LEDGER_RATE_LIMIT_PER_SEC, LEDGER_RATE_LIMIT_BURST and LEDGER_TOKEN_CACHE_MS. */
  static forRoot(options: AccessModuleOptions = {}): DynamicModule {
    // Read the environment now, so that a bad value stops start-up naming the variable.
    resolveAccessOptions(options);
    return {
      module: AccessModule,
      imports: options.imports ?? [],
      controllers: [TokensController],
      providers: [
        {
          provide: ACCESS_OPTIONS,
          inject: [{ token: CLOCK, optional: true }],
          useFactory: (clock?: Clock) => resolveAccessOptions(options, clock),
        },
        { provide: UNIT_DIRECTORY, useClass: options.unitDirectory ?? AcceptAnyUnit },
        { provide: RateLimiter, inject: [ACCESS_OPTIONS], useFactory: (o: AccessOptions) => new RateLimiter(o.rateLimit) },
        TokenAuthenticator,
        TokenGuard,
        IssueTokenHandler,
        RevokeTokenHandler,
        ListTokensHandler,
      ],
      exports: [ACCESS_OPTIONS, RateLimiter, TokenAuthenticator, TokenGuard],
    };
  }
}
