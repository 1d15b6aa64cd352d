import { Module } from '@nestjs/common';
import { AccountController } from './account.controller';
import { AssetsController } from './assets.controller';
import { HomeController } from './home.controller';
import { SignInController } from './sign-in.controller';

/**
 * The web application at `/`: server-rendered pages over the same command and query buses as the
 * API (one write path, the same guard and grants), in 简体中文, Tiếng Việt and English.
 */
@Module({
  controllers: [AssetsController, SignInController, AccountController, HomeController],
})
export class WebModule {}
