import { Controller, Get, Header, NotFoundException, Param, StreamableFile } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../access/auth.guard';
import { APP_CSS, APP_JS } from './assets';

const FONT_FILES: Record<string, string> = {
  '400': '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  '700': '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
};

/** The stylesheet and script of the web application (public: the sign-in page needs them). */
@ApiExcludeController()
@Controller('assets')
export class AssetsController {
  @Get('app.css')
  @Public()
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  css(): string {
    return APP_CSS;
  }

  /**
   * Noto Sans SC, regular and bold (the PDFs' font, from the same npm package): the pages name it
   * after the systems' own CJK fonts and for CJK characters only, so a browser fetches it only on a
   * machine with no CJK font.
   */
  @Get('fonts/noto-sans-sc-:weight.ttf')
  @Public()
  @Header('Content-Type', 'font/ttf')
  @Header('Cache-Control', 'public, max-age=31536000, immutable')
  font(@Param('weight') weight: string): StreamableFile {
    const file = FONT_FILES[weight];
    if (!file) throw new NotFoundException(`no font weight ${weight}`);
    return new StreamableFile(createReadStream(require.resolve(file)));
  }

  @Get('app.js')
  @Public()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  js(): string {
    return APP_JS;
  }
}
