import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type Database from 'better-sqlite3';
import type { Clock } from '../event-sourcing/clock';
import { CLOCK } from '../event-sourcing/tokens';
import { READ_MODEL_DB } from '../read-models/tokens';
import { ACCESS_OPTIONS, resolveAccessOptions, type AccessModuleOptions, type AccessOptions } from './access-options';
import { AuthGuard } from './auth.guard';
import { IssueTokenHandler } from './issue-token/issue-token.command';
import { ListTokensHandler } from './list-tokens/list-tokens.query';
import { ChangeOwnPasswordHandler } from './people/change-own-password.command';
import { CreatePersonHandler } from './people/create-person.command';
import { ListPeopleHandler } from './people/list-people.query';
import { ManagePersonHandler } from './people/manage-person.command';
import { PeopleController } from './people/people.controller';
import { PersonDirectory } from './people/person-directory';
import { RevokeTokenHandler } from './revoke-token/revoke-token.command';
import { SessionAuthenticator } from './sessions/session-authenticator';
import { SessionController } from './sessions/session.controller';
import { SessionStore } from './sessions/session-store';
import { SignInLimiter } from './sessions/sign-in-limiter';
import { SignInService } from './sessions/sign-in.service';
import { TokenAuthenticator } from './token-authenticator';
import { RateLimiter } from './token-bucket';
import { TokensController } from './tokens.controller';
import { AcceptAnyUnit, UNIT_DIRECTORY } from './unit-directory';

/**
 * Access: API tokens and people's accounts as events, sessions, and the one global AuthGuard
 * (every route private unless @Public; @Roles and grants checked on every request). Global, so
 * the guard and the principal decorators serve the controllers of every module.
 */
@Global()
@Module({})
export class AccessModule {
  static forRoot(options: AccessModuleOptions = {}): DynamicModule {
    // Read the environment now, so that a bad value stops start-up naming the variable.
    resolveAccessOptions(options);
    return {
      module: AccessModule,
      imports: options.imports ?? [],
      controllers: [TokensController, SessionController, PeopleController],
      providers: [
        {
          provide: ACCESS_OPTIONS,
          inject: [{ token: CLOCK, optional: true }],
          useFactory: (clock?: Clock) => resolveAccessOptions(options, clock),
        },
        { provide: UNIT_DIRECTORY, useClass: options.unitDirectory ?? AcceptAnyUnit },
        { provide: RateLimiter, inject: [ACCESS_OPTIONS], useFactory: (o: AccessOptions) => new RateLimiter(o.rateLimit) },
        { provide: SessionStore, inject: [READ_MODEL_DB, ACCESS_OPTIONS], useFactory: (db: Database.Database, o: AccessOptions) => new SessionStore(db, o.session) },
        { provide: SignInLimiter, useFactory: () => new SignInLimiter() },
        TokenAuthenticator,
        PersonDirectory,
        SessionAuthenticator,
        SignInService,
        AuthGuard,
        { provide: APP_GUARD, useExisting: AuthGuard },
        IssueTokenHandler,
        RevokeTokenHandler,
        ListTokensHandler,
        CreatePersonHandler,
        ManagePersonHandler,
        ChangeOwnPasswordHandler,
        ListPeopleHandler,
      ],
      exports: [ACCESS_OPTIONS, RateLimiter, TokenAuthenticator, SessionAuthenticator, SessionStore, SignInService, PersonDirectory, AuthGuard],
    };
  }
}
