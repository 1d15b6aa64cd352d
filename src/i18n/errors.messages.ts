/**
 * The answers people most often get, in the three languages: validation, access and lookup errors.
 * A problem built with `problem(field, key, params)` carries its key, and each edge (HTTP, CLI, web)
 * gives the reason in its caller's language; the field stays as sent.
 */
export const ERROR_MESSAGES = {
  'problem.required': { zh: '必填', vi: 'bắt buộc', en: 'is required' },
  'problem.notString': { zh: '必须是文本', vi: 'phải là chuỗi văn bản', en: 'must be a string' },
  'problem.notNumber': { zh: '{value} 不是数字：请写成 {example} 这样的数字', vi: '{value} không phải là số: hãy viết như {example}', en: '{value} is not a number: write digits like {example}' },
  'problem.notFinite': { zh: '必须是有限的数', vi: 'phải là một số hữu hạn', en: 'must be a finite number' },
  'problem.outOfRange': { zh: '{value} 超出允许范围 {min} 至 {max}', vi: '{value} nằm ngoài khoảng cho phép từ {min} đến {max}', en: '{value} is outside the allowed range {min} to {max}' },
  'problem.tooManyDecimals': { zh: '{value} 的小数位超过 {decimals} 位', vi: '{value} có quá {decimals} chữ số thập phân', en: '{value} has more than {decimals} decimal places' },
  'problem.notDate': { zh: '{value} 不是日期：请写成 {forms}', vi: '{value} không phải là ngày: hãy viết theo dạng {forms}', en: '{value} is not a date: write it as {forms}' },
  'problem.notRealDate': { zh: '{value} 不是真实存在的日期', vi: '{value} không phải là ngày có thật', en: '{value} is not a real date' },
  'problem.periodOutside': { zh: '期间 {value} 不在本计划的年份 {from}–{to} 之内', vi: 'kỳ {value} nằm ngoài các năm của chương trình {from}–{to}', en: 'period {value} is outside the programme’s years {from}–{to}' },
  'problem.forbiddenCharacter': { zh: '第 {at} 个字符（{code}）不允许：只接受可打印文本、制表符和换行', vi: 'ký tự thứ {at} ({code}) không được phép: chỉ chấp nhận văn bản in được, tab và xuống dòng', en: 'holds {what} at character {at}: only printable text, tabs and line breaks are accepted' },
  'problem.repeatedParameter': { zh: '出现了多次：每个查询参数只能给一次', vi: 'được gửi nhiều lần: mỗi tham số truy vấn chỉ được gửi một lần', en: 'is given more than once: give each query parameter once' },
  'problem.duplicateKey': { zh: '在同一对象中出现了多次：每个键只能出现一次', vi: 'xuất hiện nhiều lần trong cùng một đối tượng: mỗi khóa chỉ được xuất hiện một lần', en: 'is given more than once in one object: each key may appear once' },
  'problem.unknownLedger': { zh: '没有台账 "{id}"', vi: 'không có sổ "{id}"', en: 'no ledger "{id}"' },
  'problem.unknownUnit': { zh: '台账 "{ledger}" 中没有单位 "{id}"', vi: 'sổ "{ledger}" không có đơn vị "{id}"', en: 'no unit "{id}" in ledger "{ledger}"' },
  'problem.unknownTask': { zh: '计划 {programme} 中没有任务 "{id}"', vi: 'chương trình {programme} không có nhiệm vụ "{id}"', en: 'no task "{id}" in programme {programme}' },
  'problem.unknownMetric': { zh: '计划 {programme} 中没有指标 "{id}"', vi: 'chương trình {programme} không có chỉ tiêu "{id}"', en: 'no metric "{id}" in programme {programme}' },
  'problem.noCaller': {
    zh: '没有调用者：请登录，或发送 "Authorization: Bearer <token>"',
    vi: 'không có người gọi: hãy đăng nhập, hoặc gửi "Authorization: Bearer <token>"',
    en: 'no caller: sign in, or send "Authorization: Bearer <token>" with a token from `token create`',
  },
  'problem.invalidToken': {
    zh: '令牌无效：未知、已吊销、已过期或密钥错误',
    vi: 'mã truy cập không hợp lệ: không tồn tại, đã bị thu hồi, đã hết hạn hoặc sai khóa bí mật',
    en: 'the bearer token is not valid: it is unknown, revoked or expired, or its secret is wrong',
  },
  'problem.wrongLogin': { zh: '登录名或密码错误', vi: 'sai tên đăng nhập hoặc mật khẩu', en: 'wrong login or password' },
  'problem.sessionEnded': {
    zh: '没有会话或会话已结束（已退出、已过期，或密码、账户已变更）：请重新登录',
    vi: 'không có phiên hoặc phiên đã kết thúc (đã đăng xuất, hết hạn, hoặc mật khẩu hay tài khoản đã thay đổi): hãy đăng nhập lại',
    en: 'no session, or it has ended (signed out, expired, or the password or account changed): sign in again',
  },
  'problem.csrf': {
    zh: '使用会话 Cookie 的修改请求必须携带会话的 CSRF 令牌（X-CSRF-Token 头或 _csrf 表单字段）',
    vi: 'yêu cầu thay đổi dữ liệu bằng cookie phiên phải kèm mã CSRF của phiên (tiêu đề X-CSRF-Token hoặc trường _csrf)',
    en: 'a request made with the session cookie that changes something must carry the session’s CSRF token (header X-CSRF-Token or form field _csrf)',
  },
  'problem.changePasswordFirst': {
    zh: '您使用一次性密码登录：请先修改密码',
    vi: 'bạn đăng nhập bằng mật khẩu dùng một lần: hãy đổi mật khẩu trước',
    en: 'you signed in with a one-time password: change it first (POST /api/session/password)',
  },
  'problem.tooManySignIns': { zh: '登录失败次数过多，请 {minutes} 分钟后再试', vi: 'đăng nhập sai quá nhiều lần; hãy thử lại sau {minutes} phút', en: 'too many failed sign-ins; try again in {minutes} minute(s)' },
  'problem.passwordTooShort': { zh: '至少需要 {min} 个字符', vi: 'phải có ít nhất {min} ký tự', en: 'must be at least {min} characters' },
  'problem.passwordHasLogin': { zh: '不能包含登录名', vi: 'không được chứa tên đăng nhập', en: 'must not contain the login' },
  'problem.notCurrentPassword': { zh: '不是您当前的密码', vi: 'không phải mật khẩu hiện tại của bạn', en: 'is not your current password' },
} as const;
