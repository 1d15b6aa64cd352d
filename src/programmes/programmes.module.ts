import { Module } from '@nestjs/common';
import { ProgrammesController } from './programmes.controller';
import { GetProgrammeHandler, ListProgrammesHandler } from './queries/programme-queries';
import { RegisterProgrammeHandler } from './register-programme/register-programme.command';

/** Programmes as data: importing templates as events, and reading any version of them. */
@Module({
  controllers: [ProgrammesController],
  providers: [RegisterProgrammeHandler, ListProgrammesHandler, GetProgrammeHandler],
})
export class ProgrammesModule {}
