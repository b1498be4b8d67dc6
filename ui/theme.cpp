#include "ui/theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

using namespace Qt::StringLiterals;

namespace gapless::ui {

namespace {

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x1e, 0x22, 0x2a);
    const QColor base(0x16, 0x19, 0x1f);
    const QColor text(0xd8, 0xdc, 0xe3);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x1c, 0x20, 0x27));
    p.setColor(QPalette::ToolTipBase, QColor(0x2a, 0x2f, 0x38));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x80, 0x86, 0x90));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x27, 0x2c, 0x35));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x5a, 0x9b, 0xf0));
    p.setColor(QPalette::Light, QColor(0x33, 0x39, 0x44));
    p.setColor(QPalette::Midlight, QColor(0x2c, 0x31, 0x3b));
    p.setColor(QPalette::Mid, QColor(0x22, 0x26, 0x2e));
    p.setColor(QPalette::Dark, QColor(0x12, 0x14, 0x18));
    p.setColor(QPalette::Shadow, Qt::black);
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x6a, 0x70, 0x7a));
    return p;
}

QPalette lightPalette()
{
    QPalette p = QStyleFactory::create(u"Fusion"_s)->standardPalette();
    p.setColor(QPalette::Window, QColor(0xf3, 0xf4, 0xf6));
    p.setColor(QPalette::AlternateBase, QColor(0xf6, 0xf7, 0xf9));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd6));
    return p;
}

} // namespace

bool applyTheme(QApplication &app, const QString &theme)
{
    const QPalette platform = QApplication::palette();
    app.setStyle(QStyleFactory::create(u"Fusion"_s));
    bool dark = theme == "dark"_L1;
    if (theme == "system"_L1)
        dark = platform.color(QPalette::Window).lightness() < 128;
    QApplication::setPalette(dark ? darkPalette() : lightPalette());
    return dark;
}

} // namespace gapless::ui
